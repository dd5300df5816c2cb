package io.agentledger.core.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.span.DecimalBounds;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads AgentLedger's catalog format: {@code {catalogVersion, unit: "per_million_tokens", models:
 * [{provider, model, kind, aliases, prices: [{effectiveFrom, input, output, cacheRead,
 * cacheWrite5m, cacheWrite1h, cacheWrite, reasoning, tiers: [{aboveInputTokens, ...}],
 * serviceTiers: {batch|flex|priority: {...}}}]}]}}. Errors name the model.
 */
final class CatalogJson {

  // Prices are read as exact decimals, never through a double.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  private CatalogJson() {}

  static PriceCatalog read(InputStream in) throws IOException {
    JsonNode root = JSON.readTree(in);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("price catalog: expected a JSON object");
    }
    String unit = root.path("unit").asText("per_million_tokens");
    if (!unit.equals("per_million_tokens")) {
      throw new IllegalArgumentException("price catalog: unsupported unit '" + unit + "'");
    }
    String version = root.path("catalogVersion").asText("");
    if (version.isEmpty()) {
      throw new IllegalArgumentException("price catalog: catalogVersion is required");
    }
    List<ModelPricing> models = new ArrayList<>();
    for (JsonNode model : root.path("models")) {
      models.add(readModel(model));
    }
    return PriceCatalog.of(version, models);
  }

  static ModelPricing readModel(JsonNode node) {
    String provider = node.path("provider").asText("");
    String model = node.path("model").asText("");
    String where = provider + "/" + model;
    if (provider.isEmpty() || model.isEmpty()) {
      throw new IllegalArgumentException(
          "price catalog: an entry lacks provider or model: " + node);
    }
    try {
      ModelKind kind = ModelKind.fromWireName(node.path("kind").asText("chat"));
      List<String> aliases = new ArrayList<>();
      node.path("aliases").forEach(a -> aliases.add(a.asText()));
      List<PricePeriod> periods = new ArrayList<>();
      for (JsonNode price : node.path("prices")) {
        periods.add(readPeriod(price, kind));
      }
      return new ModelPricing(provider, model, kind, aliases, periods);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException("price catalog entry " + where + ": " + e.getMessage(), e);
    }
  }

  static String writeModel(ModelPricing m) {
    com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
    node.put("provider", m.provider());
    node.put("model", m.model());
    node.put("kind", m.kind().wireName());
    m.aliases().forEach(node.putArray("aliases")::add);
    com.fasterxml.jackson.databind.node.ArrayNode prices = node.putArray("prices");
    for (PricePeriod period : m.periods()) {
      com.fasterxml.jackson.databind.node.ObjectNode p = prices.addObject();
      p.put("effectiveFrom", period.effectiveFrom().toString());
      PriceRates r = period.rates();
      writeRates(
          p,
          new PriceRates.PartialRates(
              r.input(),
              r.output(),
              r.cacheRead(),
              r.cacheWrite5m(),
              r.cacheWrite1h(),
              r.reasoning()));
      if (!period.tiers().isEmpty()) {
        com.fasterxml.jackson.databind.node.ArrayNode tiers = p.putArray("tiers");
        for (ContextTier tier : period.tiers()) {
          com.fasterxml.jackson.databind.node.ObjectNode t = tiers.addObject();
          t.put("aboveInputTokens", tier.aboveInputTokens());
          writeRates(t, tier.rates());
        }
      }
      if (!period.serviceTiers().isEmpty()) {
        com.fasterxml.jackson.databind.node.ObjectNode tiers = p.putObject("serviceTiers");
        period
            .serviceTiers()
            .forEach((tier, rates) -> writeRates(tiers.putObject(tier.wireName()), rates));
      }
    }
    return node.toString();
  }

  private static void writeRates(
      com.fasterxml.jackson.databind.node.ObjectNode node, PriceRates.PartialRates r) {
    putPrice(node, "input", r.input());
    putPrice(node, "output", r.output());
    putPrice(node, "cacheRead", r.cacheRead());
    putPrice(node, "cacheWrite5m", r.cacheWrite5m());
    putPrice(node, "cacheWrite1h", r.cacheWrite1h());
    putPrice(node, "reasoning", r.reasoning());
  }

  private static void putPrice(
      com.fasterxml.jackson.databind.node.ObjectNode node, String field, BigDecimal price) {
    if (price != null) {
      node.put(field, price);
    }
  }

  static ModelPricing readModel(String json) throws IOException {
    return readModel(JSON.readTree(json));
  }

  private static PricePeriod readPeriod(JsonNode node, ModelKind kind) {
    LocalDate from = LocalDate.parse(node.path("effectiveFrom").asText());
    PriceRates.PartialRates base = readRates(node);
    if (base.input() == null) {
      throw new IllegalArgumentException("input price is required");
    }
    if (kind == ModelKind.CHAT && base.output() == null) {
      throw new IllegalArgumentException("output price is required for a chat model");
    }
    PriceRates rates =
        new PriceRates(
            base.input(),
            base.output(),
            base.cacheRead(),
            base.cacheWrite5m(),
            base.cacheWrite1h(),
            base.reasoning());
    List<ContextTier> tiers = new ArrayList<>();
    for (JsonNode tier : node.path("tiers")) {
      tiers.add(new ContextTier(tier.path("aboveInputTokens").asLong(), readRates(tier)));
    }
    Map<ServiceTier, PriceRates.PartialRates> serviceTiers = new EnumMap<>(ServiceTier.class);
    Iterator<Map.Entry<String, JsonNode>> it = node.path("serviceTiers").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      ServiceTier tier = ServiceTier.parse(e.getKey());
      if (tier == ServiceTier.STANDARD) {
        throw new IllegalArgumentException("unknown service tier '" + e.getKey() + "'");
      }
      serviceTiers.put(tier, readRates(e.getValue()));
    }
    return new PricePeriod(from, rates, tiers, serviceTiers);
  }

  private static PriceRates.PartialRates readRates(JsonNode node) {
    BigDecimal cacheWrite = price(node, "cacheWrite");
    BigDecimal cacheWrite5m = price(node, "cacheWrite5m");
    return new PriceRates.PartialRates(
        price(node, "input"),
        price(node, "output"),
        price(node, "cacheRead"),
        cacheWrite5m != null ? cacheWrite5m : cacheWrite,
        price(node, "cacheWrite1h"),
        price(node, "reasoning"));
  }

  private static BigDecimal price(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number, got " + value);
    }
    try {
      // Bounded before any arithmetic: Jackson keeps 1e-999999999 exact, and adding it to a
      // normal price would build a billion-digit number.
      return DecimalBounds.bounded(
          value.decimalValue(), DecimalBounds.MAX_PRICE_PER_MILLION, DecimalBounds.PRICE_SCALE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " " + e.getMessage(), e);
    }
  }
}
