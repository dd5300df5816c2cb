package io.agentledger.api.prices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.core.normalize.ProviderNames;
import io.agentledger.core.pricing.ContextTier;
import io.agentledger.core.pricing.ModelKind;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.PricePeriod;
import io.agentledger.core.pricing.PriceRates;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.store.PriceOverrides;
import io.agentledger.store.ToolPriceStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code /prices}: the catalog in force for the caller's project, and project overrides. */
public final class PriceRoutes {

  private static final ObjectMapper READER =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Highest price accepted, USD per million tokens (the dearest models cost a few hundred). */
  static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

  /** Most decimal places of a price the store keeps. */
  static final int MAX_PRICE_SCALE = 12;

  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_ALIASES = 32;
  static final int MAX_TIERS = 16;

  private final PriceOverrides store;
  private final ToolPriceStore tools;
  private final PriceCatalog catalog;
  private final int maxOverrides;

  /**
   * @param maxOverrides most overrides one project may hold (409 above), and most tool prices
   */
  public PriceRoutes(
      PriceOverrides store, ToolPriceStore tools, PriceCatalog catalog, int maxOverrides) {
    this.store = store;
    this.tools = tools;
    this.catalog = catalog;
    this.maxOverrides = maxOverrides;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/prices",
            "listPrices",
            "The price catalog in force for this project (overrides first), USD per million tokens",
            List.of(),
            CatalogView.class,
            this::list),
        // Before /prices/{provider}/{model}, which the same path would match too.
        new ApiRoute(
            HandlerType.PUT,
            "/prices/tools/{tool}",
            "putToolPrice",
            "Set this project's price for a tool or sandbox (non-LLM cost), for spans arriving from"
                + " now on: USD per call, per second of the span's duration and per unit read from"
                + " a span attribute, each optional, added up. It prices spans whose tool name (else"
                + " span name) is {tool} and that bear no model cost; a project holds at most "
                + maxOverrides
                + " tool prices (409 above)",
            List.of(ApiParam.path("tool", "tool name, URL-encoded")),
            ToolPriceRequest.class,
            ToolPriceView.class,
            this::putTool),
        new ApiRoute(
            HandlerType.PUT,
            "/prices/{provider}/{model}",
            "putPriceOverride",
            "Set this project's price for a model (it wins over the catalog from now on). Prices"
                + " are USD per million tokens, 0 to "
                + MAX_PRICE.toPlainString()
                + " with at most "
                + MAX_PRICE_SCALE
                + " decimal places; a project holds at most "
                + maxOverrides
                + " overrides (409 above)",
            List.of(
                ApiParam.path("provider", "provider, e.g. openai"),
                ApiParam.path("model", "model id, URL-encoded")),
            PriceOverrideRequest.class,
            ModelView.class,
            this::put));
  }

  private void list(Context ctx) {
    String project = RequestProject.of(ctx);
    List<ModelPricing> overrides = store.priceOverrides(project);
    List<ModelView> models = new ArrayList<>();
    overrides.forEach(m -> models.add(ModelView.of(m, "override")));
    catalog.catalogModels().forEach(m -> models.add(ModelView.of(m, "catalog")));
    ctx.json(
        new CatalogView(
            catalog.withOverrides(overrides).version(),
            "USD",
            "per_million_tokens",
            models,
            tools.toolPrices(project).stream().map(ToolPriceView::of).toList()));
  }

  private void putTool(Context ctx) {
    String tool = ctx.pathParam("tool").trim();
    if (tool.isEmpty() || tool.length() > MAX_NAME_LENGTH) {
      throw Problem.badRequest("the tool name must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    JsonNode body;
    try {
      body = READER.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    if (body == null || !body.isObject()) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    ToolPrice price = ToolPriceRequests.parse(tool, body);
    String project = RequestProject.of(ctx);
    List<ToolPrice> existing = tools.toolPrices(project);
    boolean replaces = existing.stream().anyMatch(p -> p.tool().equals(price.tool()));
    if (!replaces && existing.size() >= maxOverrides) {
      throw new Problem(
          409,
          "Conflict",
          "this project already has "
              + existing.size()
              + " tool prices, the most it may hold; replace an existing one instead");
    }
    tools.saveToolPrice(project, price);
    ctx.json(ToolPriceView.of(price));
  }

  private void put(Context ctx) {
    String provider = ProviderNames.normalize(ctx.pathParam("provider"));
    String model = ctx.pathParam("model").trim();
    if (provider.isEmpty() || model.isEmpty()) {
      throw Problem.badRequest("provider and model must not be empty");
    }
    if (provider.length() > MAX_NAME_LENGTH || model.length() > MAX_NAME_LENGTH) {
      throw Problem.badRequest(
          "provider and model must be at most " + MAX_NAME_LENGTH + " characters");
    }
    JsonNode body;
    try {
      body = READER.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    if (body == null || !body.isObject()) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    ModelPricing pricing = readable(parse(provider, model, body));
    String project = RequestProject.of(ctx);
    List<ModelPricing> existing = store.priceOverrides(project);
    boolean replaces =
        existing.stream()
            .anyMatch(m -> m.provider().equals(provider) && m.model().equals(pricing.model()));
    if (!replaces && existing.size() >= maxOverrides) {
      throw new Problem(
          409,
          "Conflict",
          "this project already has "
              + existing.size()
              + " price overrides, the most it may hold; replace an existing one instead");
    }
    store.savePriceOverride(project, pricing);
    ctx.json(ModelView.of(pricing, "override"));
  }

  /**
   * The override as it will be read back and served, so nothing is stored that {@code GET /prices}
   * could not answer.
   */
  private ModelPricing readable(ModelPricing pricing) {
    try {
      ModelPricing back = ModelPricing.fromJson(pricing.toJson());
      ModelView.of(back, "override");
      catalog.withOverrides(List.of(back)).version();
      return pricing;
    } catch (RuntimeException e) {
      throw Problem.badRequest("the price override is not consistent; check its fields");
    }
  }

  static ModelPricing parse(String provider, String model, JsonNode body) {
    try {
      ModelKind kind = ModelKind.fromWireName(body.path("kind").asText("chat"));
      LocalDate from = LocalDate.parse(body.path("effectiveFrom").asText("1970-01-01"));
      if (from.getYear() < 1970 || from.getYear() > 9999) {
        throw Problem.badRequest("'effectiveFrom' must lie between 1970-01-01 and 9999-12-31");
      }
      PriceRates.PartialRates base = rates(body, "");
      if (base.input() == null) {
        throw Problem.badRequest("'input' (USD per million input tokens) is required");
      }
      if (kind == ModelKind.CHAT && base.output() == null) {
        throw Problem.badRequest("'output' is required for a chat model");
      }
      if (body.path("tiers").size() > MAX_TIERS || body.path("aliases").size() > MAX_ALIASES) {
        throw Problem.badRequest(
            "at most " + MAX_TIERS + " tiers and " + MAX_ALIASES + " aliases are accepted");
      }
      List<ContextTier> tiers = new ArrayList<>();
      for (JsonNode t : body.path("tiers")) {
        JsonNode above = t.path("aboveInputTokens");
        if (!above.isMissingNode() && (!above.canConvertToLong() || above.asLong() < 0)) {
          throw Problem.badRequest("'tiers[].aboveInputTokens' must be a non-negative integer");
        }
        JsonNode tierPrices = t.has("prices") ? t.get("prices") : t;
        tiers.add(
            new ContextTier(t.path("aboveInputTokens").asLong(0), rates(tierPrices, "tiers[].")));
      }
      Map<ServiceTier, PriceRates.PartialRates> serviceTiers = new EnumMap<>(ServiceTier.class);
      var it = body.path("serviceTiers").fields();
      while (it.hasNext()) {
        var e = it.next();
        ServiceTier tier = ServiceTier.parse(e.getKey());
        if (tier == ServiceTier.STANDARD) {
          throw Problem.badRequest("serviceTiers keys are batch, flex or priority");
        }
        serviceTiers.put(tier, rates(e.getValue(), "serviceTiers." + e.getKey() + "."));
      }
      List<String> aliases = new ArrayList<>();
      for (JsonNode a : body.path("aliases")) {
        if (!a.isTextual() || a.asText().isBlank() || a.asText().length() > MAX_NAME_LENGTH) {
          throw Problem.badRequest(
              "'aliases' must be model names of 1 to " + MAX_NAME_LENGTH + " characters");
        }
        aliases.add(a.asText());
      }
      PriceRates rates =
          new PriceRates(
              base.input(),
              base.output(),
              base.cacheRead(),
              base.cacheWrite5m(),
              base.cacheWrite1h(),
              base.reasoning());
      return new ModelPricing(
          provider,
          model,
          kind,
          aliases,
          List.of(new PricePeriod(from, rates, tiers, serviceTiers)));
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("'effectiveFrom' must be a date such as 2025-01-31");
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(e.getMessage());
    }
  }

  private static PriceRates.PartialRates rates(JsonNode node, String where) {
    return new PriceRates.PartialRates(
        price(node, "input", where),
        price(node, "output", where),
        price(node, "cacheRead", where),
        price(node, "cacheWrite5m", where),
        price(node, "cacheWrite1h", where),
        price(node, "reasoning", where));
  }

  private static @Nullable BigDecimal price(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()
        || v.decimalValue().signum() < 0
        || v.decimalValue().compareTo(MAX_PRICE) > 0) {
      throw Problem.badRequest(
          "'"
              + where
              + field
              + "' must be a number from 0 to "
              + MAX_PRICE.toPlainString()
              + " (USD per million tokens)");
    }
    BigDecimal price = v.decimalValue().stripTrailingZeros();
    if (price.scale() > MAX_PRICE_SCALE) {
      throw Problem.badRequest(
          "'" + where + field + "' may have at most " + MAX_PRICE_SCALE + " decimal places");
    }
    return price.scale() < 0 ? price.setScale(0) : price;
  }

  /**
   * {@code GET /prices}.
   *
   * @param unit the unit of the model prices; tool prices say theirs in their field names
   * @param tools the project's tool and sandbox prices, by tool name
   */
  public record CatalogView(
      String catalogVersion,
      String currency,
      String unit,
      List<ModelView> models,
      List<ToolPriceView> tools) {}

  /**
   * A project's price for a tool or sandbox, in USD: the parts it has are added up for each call.
   *
   * @param kind {@code tool} or {@code sandbox}
   * @param perSecondUsd per second of the span's duration
   * @param perUnitUsd per unit of the number in the span attribute {@code unitAttribute}
   */
  public record ToolPriceView(
      String tool,
      String kind,
      LocalDate effectiveFrom,
      @Nullable BigDecimal perCallUsd,
      @Nullable BigDecimal perSecondUsd,
      @Nullable BigDecimal perUnitUsd,
      @Nullable String unitAttribute) {

    static ToolPriceView of(ToolPrice p) {
      return new ToolPriceView(
          p.tool(),
          p.kind().wireName(),
          p.effectiveFrom(),
          p.perCallUsd(),
          p.perSecondUsd(),
          p.perUnitUsd(),
          p.unitAttribute().isEmpty() ? null : p.unitAttribute());
    }
  }

  /**
   * {@code PUT /prices/tools/{tool}} body, USD. At least one of {@code perCallUsd}, {@code
   * perSecondUsd}, {@code perUnitUsd}; {@code unitAttribute} (the span attribute holding the units)
   * exactly with {@code perUnitUsd}; {@code kind} {@code tool} (default) or {@code sandbox}; {@code
   * effectiveFrom} defaults to 1970-01-01. A span priced per unit that does not report its units
   * costs unknown, never zero.
   */
  public record ToolPriceRequest(
      String kind,
      LocalDate effectiveFrom,
      BigDecimal perCallUsd,
      BigDecimal perSecondUsd,
      BigDecimal perUnitUsd,
      String unitAttribute) {}

  /** One model's prices; {@code source} is {@code catalog} or {@code override}. */
  public record ModelView(
      String provider,
      String model,
      String kind,
      String source,
      List<String> aliases,
      List<PeriodView> prices) {

    static ModelView of(ModelPricing m, String source) {
      return new ModelView(
          m.provider(),
          m.model(),
          m.kind().wireName(),
          source,
          m.aliases(),
          m.periods().stream().map(PeriodView::of).toList());
    }
  }

  /** Prices in force from {@code effectiveFrom}, USD per million tokens. */
  public record PeriodView(
      LocalDate effectiveFrom,
      BigDecimal input,
      @Nullable BigDecimal output,
      @Nullable BigDecimal cacheRead,
      @Nullable BigDecimal cacheWrite5m,
      @Nullable BigDecimal cacheWrite1h,
      @Nullable BigDecimal reasoning,
      List<TierView> tiers,
      Map<String, RatesView> serviceTiers) {

    static PeriodView of(PricePeriod p) {
      PriceRates r = p.rates();
      Map<String, RatesView> service = new LinkedHashMap<>();
      p.serviceTiers().forEach((k, v) -> service.put(k.wireName(), RatesView.of(v)));
      return new PeriodView(
          p.effectiveFrom(),
          r.input(),
          r.output(),
          r.cacheRead(),
          r.cacheWrite5m(),
          r.cacheWrite1h(),
          r.reasoning(),
          p.tiers().stream()
              .map(t -> new TierView(t.aboveInputTokens(), RatesView.of(t.rates())))
              .toList(),
          service);
    }
  }

  public record TierView(long aboveInputTokens, RatesView prices) {}

  public record RatesView(
      @Nullable BigDecimal input,
      @Nullable BigDecimal output,
      @Nullable BigDecimal cacheRead,
      @Nullable BigDecimal cacheWrite5m,
      @Nullable BigDecimal cacheWrite1h,
      @Nullable BigDecimal reasoning) {
    static RatesView of(PriceRates.PartialRates r) {
      return new RatesView(
          r.input(), r.output(), r.cacheRead(), r.cacheWrite5m(), r.cacheWrite1h(), r.reasoning());
    }
  }

  /**
   * {@code PUT /prices/{provider}/{model}} body. Prices in USD per million tokens; {@code input} is
   * required, {@code output} too for chat models; {@code effectiveFrom} defaults to 1970-01-01.
   */
  public record PriceOverrideRequest(
      String kind,
      LocalDate effectiveFrom,
      List<String> aliases,
      BigDecimal input,
      BigDecimal output,
      BigDecimal cacheRead,
      BigDecimal cacheWrite5m,
      BigDecimal cacheWrite1h,
      BigDecimal reasoning,
      List<TierView> tiers,
      Map<String, RatesView> serviceTiers) {}
}
