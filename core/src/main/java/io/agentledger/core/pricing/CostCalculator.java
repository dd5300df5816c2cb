package io.agentledger.core.pricing;

import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.DecimalBounds;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Prices spans. Thread-safe and pure apart from the catalog lookup.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>A cost the emitter reported wins — except a reported zero beside non-zero usage: emitters
 *       (OpenLIT) write zero when their own price lookup failed, and that is not a cost. The span
 *       is priced as if nothing were reported, so it is unknown when the catalog cannot price it.
 *   <li>A local runtime (Ollama, vLLM, llama.cpp) costs $0 by an explicit rule.
 *   <li>No usage: a model call's cost is unknown ("no usage reported"); any other span bears none.
 *   <li>No catalog entry for the model: unknown, naming the model. Never zero.
 *   <li>A host with no entry of its own for the model (DeepSeek on Together or Azure): unknown,
 *       never the vendor's price as if certain; only gateways that bill the vendor's list price
 *       (OpenRouter) are priced at it. When no provider is said, the model's vendor prices it.
 *   <li>Otherwise: the price period in force at the span's start; the context tier chosen by the
 *       input size; the service tier's prices when the span ran in one; fresh input, cache reads,
 *       five-minute and one-hour cache writes, visible output and reasoning each at their own
 *       price.
 * </ol>
 */
public final class CostCalculator {

  private final Function<String, PriceCatalog> catalogForProject;
  private final Function<String, ToolPrices> toolPricesForProject;

  /** A calculator using one catalog for every project. */
  public CostCalculator(PriceCatalog catalog) {
    Objects.requireNonNull(catalog, "catalog");
    this.catalogForProject = project -> catalog;
    this.toolPricesForProject = project -> ToolPrices.NONE;
  }

  /** A calculator whose catalog (overrides included) depends on the project. */
  public CostCalculator(Function<String, PriceCatalog> catalogForProject) {
    this(catalogForProject, project -> ToolPrices.NONE);
  }

  /** A calculator whose catalog and tool prices depend on the project. */
  public CostCalculator(
      Function<String, PriceCatalog> catalogForProject,
      Function<String, ToolPrices> toolPricesForProject) {
    this.catalogForProject = Objects.requireNonNull(catalogForProject, "catalogForProject");
    this.toolPricesForProject =
        Objects.requireNonNull(toolPricesForProject, "toolPricesForProject");
  }

  /**
   * The cost of a span that bears no model cost, by the project's tool and sandbox prices; {@link
   * Cost#NONE} when none of them names it.
   */
  public Cost toolCost(
      String project,
      String toolName,
      String spanName,
      long startEpochNanos,
      long endEpochNanos,
      java.util.Map<String, String> attributes) {
    return toolPricesForProject
        .apply(project)
        .cost(toolName, spanName, startEpochNanos, endEpochNanos, attributes);
  }

  public PriceCatalog catalogFor(String project) {
    return catalogForProject.apply(project);
  }

  /** The cost of one span. */
  public Cost cost(CostRequest request) {
    Usage usage = request.usage();
    PriceCatalog catalog = catalogForProject.apply(request.project());
    Optional<PriceMatch> match =
        request.model().isEmpty()
            ? Optional.empty()
            : catalog.match(request.provider(), request.model());
    String overruled = "";
    if (request.reportedCostUsd() != null) {
      boolean failedLookup = request.reportedCostUsd().signum() == 0 && usage.totalTokens() > 0;
      if (!failedLookup) {
        return Cost.reported(request.reportedCostUsd(), "reported by the emitter");
      }
      overruled = "reported cost 0 ignored for non-zero usage; ";
    }
    if (HostRules.isLocal(request.provider())) {
      return new Cost(
          BigDecimal.ZERO,
          CostSource.COMPUTED,
          "local:" + request.provider(),
          catalog.version(),
          overruled + "local runtime " + request.provider() + ": no per-token price");
    }
    if (!usage.reported()) {
      return request.modelCall()
          ? Cost.unknown("no usage reported" + modelSuffix(request))
          : Cost.NONE;
    }
    if (request.model().isEmpty()) {
      return Cost.unknown(overruled + "no model reported");
    }
    if (match.isEmpty()) {
      return Cost.unknown(
          overruled
              + "unknown model '"
              + request.model()
              + "'"
              + (request.provider().isEmpty() ? "" : " (provider " + request.provider() + ")"));
    }
    PriceMatch m = match.get();
    if (m.how() == PriceMatch.How.OTHER_PROVIDER
        && !request.provider().isEmpty()
        && !HostRules.billsVendorPrice(request.provider())) {
      return Cost.unknown(
          overruled
              + "no "
              + request.provider()
              + " price for '"
              + request.model()
              + "' ("
              + m.pricedAs()
              + " is another host's price; set a project price with PUT /prices/"
              + request.provider()
              + "/{model})");
    }
    StringBuilder detail = new StringBuilder(overruled);
    append(detail, m.describe());
    LocalDate day =
        Instant.ofEpochSecond(0, request.startEpochNanos()).atZone(ZoneOffset.UTC).toLocalDate();
    PricePeriod period = m.pricing().periodAt(day);
    BigDecimal amount = price(period, usage, request.serviceTier(), detail);
    if (!DecimalBounds.isStorableCost(amount)) {
      return Cost.unknown(
          "computed cost is above the limit of "
              + DecimalBounds.MAX_COST_USD.toPlainString()
              + " USD per span");
    }
    return new Cost(
        amount,
        request.usageEstimated() ? CostSource.ESTIMATED : CostSource.COMPUTED,
        m.pricedAs(),
        catalog.version(),
        (request.usageEstimated() ? "tokens estimated from text; " : "") + detail);
  }

  /** The dollar amount of a usage under one price period; notes the tiers applied in detail. */
  static BigDecimal price(
      PricePeriod period, Usage usage, ServiceTier serviceTier, StringBuilder detail) {
    PriceRates base = period.rates();
    PriceRates rates = base;
    ContextTier tier = period.tierFor(usage.inputTokens());
    if (tier != null) {
      rates = rates.overlay(tier.rates());
      append(detail, "long-context price (input > " + tier.aboveInputTokens() + " tokens)");
    }
    if (serviceTier != ServiceTier.STANDARD) {
      PriceRates.PartialRates tierRates = period.serviceTiers().get(serviceTier);
      if (tierRates != null) {
        // Service tiers are published against the base price; above the long-context threshold
        // they scale the long-context price the same way (batch = half of it).
        rates = rates.overlay(tier == null ? tierRates : scaled(tierRates, base, rates));
        append(detail, serviceTier.wireName() + " service tier");
      } else {
        append(detail, "no " + serviceTier.wireName() + " price in catalog, standard price used");
      }
    }
    long cacheWrite1h = usage.cacheWrite1hTokens();
    long cacheWrite5m = usage.cacheWriteTokens() - cacheWrite1h;
    long reasoning = usage.reasoningTokens();
    BigDecimal perMillion =
        rates
            .input()
            .multiply(BigDecimal.valueOf(usage.uncachedInputTokens()))
            .add(rates.cacheReadOrInput().multiply(BigDecimal.valueOf(usage.cacheReadTokens())))
            .add(rates.cacheWrite5mOrInput().multiply(BigDecimal.valueOf(cacheWrite5m)))
            .add(rates.cacheWrite1hOrShorter().multiply(BigDecimal.valueOf(cacheWrite1h)))
            .add(
                rates.outputOrZero().multiply(BigDecimal.valueOf(usage.outputTokens() - reasoning)))
            .add(rates.reasoningOrOutput().multiply(BigDecimal.valueOf(reasoning)));
    return perMillion.movePointLeft(6);
  }

  /** The service tier's prices as ratios of the base price, applied to the long-context price. */
  private static PriceRates.PartialRates scaled(
      PriceRates.PartialRates serviceTier, PriceRates base, PriceRates longContext) {
    return new PriceRates.PartialRates(
        ratio(serviceTier.input(), base.input(), longContext.input()),
        ratio(serviceTier.output(), base.outputOrZero(), longContext.outputOrZero()),
        ratio(serviceTier.cacheRead(), base.cacheReadOrInput(), longContext.cacheReadOrInput()),
        ratio(
            serviceTier.cacheWrite5m(),
            base.cacheWrite5mOrInput(),
            longContext.cacheWrite5mOrInput()),
        ratio(
            serviceTier.cacheWrite1h(),
            base.cacheWrite1hOrShorter(),
            longContext.cacheWrite1hOrShorter()),
        ratio(serviceTier.reasoning(), base.reasoningOrOutput(), longContext.reasoningOrOutput()));
  }

  private static @Nullable BigDecimal ratio(
      @Nullable BigDecimal tierPrice, BigDecimal basePrice, BigDecimal longContextPrice) {
    if (tierPrice == null || basePrice.signum() == 0) {
      return tierPrice;
    }
    return longContextPrice
        .multiply(tierPrice)
        .divide(basePrice, DecimalBounds.PRICE_SCALE, RoundingMode.HALF_EVEN);
  }

  private static String modelSuffix(CostRequest request) {
    return request.model().isEmpty() ? "" : " for '" + request.model() + "'";
  }

  private static void append(StringBuilder detail, String note) {
    if (note.isEmpty()) {
      return;
    }
    if (detail.length() > 0 && !endsWithSeparator(detail)) {
      detail.append("; ");
    }
    detail.append(note);
  }

  private static boolean endsWithSeparator(StringBuilder sb) {
    return sb.length() >= 2 && sb.charAt(sb.length() - 2) == ';';
  }
}
