package io.agentledger.core.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.DecimalBounds;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A project's price for a tool or sandbox: what one call costs, made of up to three parts that add
 * up — a price per call, a price per second of the span's duration, and a price per unit read from
 * a span attribute (pages fetched, CPU seconds, credits).
 *
 * @param tool the tool name it prices: matched against a span's tool name, else its span name
 * @param kind a tool or a sandbox (for people; both are priced the same way)
 * @param effectiveFrom spans starting on this UTC day or later are priced with it
 * @param perCallUsd USD per call, or null
 * @param perSecondUsd USD per second of span duration, or null
 * @param perUnitUsd USD per unit of {@code unitAttribute}, or null
 * @param unitAttribute the span attribute holding the units; empty exactly when {@code perUnitUsd}
 *     is null
 */
public record ToolPrice(
    String tool,
    ToolKind kind,
    LocalDate effectiveFrom,
    @Nullable BigDecimal perCallUsd,
    @Nullable BigDecimal perSecondUsd,
    @Nullable BigDecimal perUnitUsd,
    String unitAttribute) {

  /** Highest price of one part, USD (per call, per second or per unit). */
  public static final BigDecimal MAX_PRICE_USD = BigDecimal.ONE.scaleByPowerOfTen(6);

  /** Most decimal places of a price. */
  public static final int MAX_SCALE = 12;

  /** Longest tool name or unit attribute. */
  public static final int MAX_NAME_CHARS = 200;

  /** Highest number of units one span may report; more is not a real measurement. */
  static final BigDecimal MAX_UNITS = BigDecimal.ONE.scaleByPowerOfTen(12);

  /** How a cost priced by a tool price names it: {@code tool:<name>}. */
  public static final String PRICED_AS_PREFIX = "tool:";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  public ToolPrice {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    tool = tool.trim();
    unitAttribute = unitAttribute == null ? "" : unitAttribute.trim();
    if (tool.isEmpty() || tool.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException("tool must be 1 to " + MAX_NAME_CHARS + " characters");
    }
    if (perCallUsd == null && perSecondUsd == null && perUnitUsd == null) {
      throw new IllegalArgumentException(
          "a tool price needs at least one of perCallUsd, perSecondUsd, perUnitUsd");
    }
    perCallUsd = checked(perCallUsd, "perCallUsd");
    perSecondUsd = checked(perSecondUsd, "perSecondUsd");
    perUnitUsd = checked(perUnitUsd, "perUnitUsd");
    if ((perUnitUsd == null) != unitAttribute.isEmpty()) {
      throw new IllegalArgumentException("perUnitUsd and unitAttribute go together");
    }
    if (unitAttribute.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException(
          "unitAttribute must be at most " + MAX_NAME_CHARS + " characters");
    }
  }

  private static @Nullable BigDecimal checked(@Nullable BigDecimal price, String field) {
    if (price == null) {
      return null;
    }
    if (price.signum() < 0 || price.compareTo(MAX_PRICE_USD) > 0) {
      throw new IllegalArgumentException(
          field + " must be from 0 to " + MAX_PRICE_USD.toPlainString() + " USD");
    }
    BigDecimal p = price.stripTrailingZeros();
    if (p.scale() > MAX_SCALE) {
      throw new IllegalArgumentException(field + " may have at most " + MAX_SCALE + " decimals");
    }
    return p.scale() < 0 ? p.setScale(0) : p;
  }

  /** {@code tool:<name>}: what {@link Cost#pricedAs()} says of a cost priced by this price. */
  public String pricedAs() {
    return PRICED_AS_PREFIX + tool;
  }

  /**
   * The cost of one call: the sum of the parts this price has. Unknown (never zero) when it has a
   * per-unit part and the span does not report a valid number of units.
   *
   * @param durationNanos the span's duration
   * @param attributes the span's attributes, where the units are read
   * @return a computed cost, or an unknown one naming what is missing
   */
  public Cost cost(long durationNanos, Map<String, String> attributes) {
    BigDecimal amount = BigDecimal.ZERO;
    StringBuilder detail = new StringBuilder(kind.wireName()).append(" price");
    if (perCallUsd != null) {
      amount = amount.add(perCallUsd);
      detail.append("; ").append(perCallUsd.toPlainString()).append(" per call");
    }
    if (perSecondUsd != null) {
      BigDecimal seconds = BigDecimal.valueOf(Math.max(0, durationNanos), 9);
      amount = amount.add(perSecondUsd.multiply(seconds, MathContext.DECIMAL128));
      detail
          .append("; ")
          .append(seconds.stripTrailingZeros().toPlainString())
          .append(" s × ")
          .append(perSecondUsd.toPlainString());
    }
    if (perUnitUsd != null) {
      String raw = attributes.get(unitAttribute);
      BigDecimal units;
      try {
        units = raw == null ? null : DecimalBounds.parse(raw, MAX_UNITS, MAX_SCALE);
      } catch (IllegalArgumentException e) {
        units = null;
      }
      if (units == null) {
        return new Cost(
            null,
            CostSource.UNKNOWN,
            pricedAs(),
            null,
            kind.wireName()
                + " priced per unit of '"
                + unitAttribute
                + "', which the span "
                + (raw == null ? "does not report" : "reports as no valid number"));
      }
      amount = amount.add(perUnitUsd.multiply(units, MathContext.DECIMAL128));
      detail
          .append("; ")
          .append(units.stripTrailingZeros().toPlainString())
          .append(' ')
          .append(unitAttribute)
          .append(" × ")
          .append(perUnitUsd.toPlainString());
    }
    if (!DecimalBounds.isStorableCost(amount)) {
      return new Cost(
          null,
          CostSource.UNKNOWN,
          pricedAs(),
          null,
          "computed tool cost is above the limit of "
              + DecimalBounds.MAX_COST_USD.toPlainString()
              + " USD per span");
    }
    return new Cost(amount, CostSource.COMPUTED, pricedAs(), null, detail.toString());
  }

  /** This price as JSON (how stores keep it). */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("tool", tool);
    n.put("kind", kind.wireName());
    n.put("effectiveFrom", effectiveFrom.toString());
    putPrice(n, "perCallUsd", perCallUsd);
    putPrice(n, "perSecondUsd", perSecondUsd);
    putPrice(n, "perUnitUsd", perUnitUsd);
    if (!unitAttribute.isEmpty()) {
      n.put("unitAttribute", unitAttribute);
    }
    return n.toString();
  }

  private static void putPrice(ObjectNode n, String field, @Nullable BigDecimal price) {
    if (price != null) {
      n.put(field, price);
    }
  }

  /**
   * Reads a price written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException when the text is not such a price
   */
  public static ToolPrice fromJson(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("tool price is not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("tool price is not a JSON object");
    }
    try {
      return new ToolPrice(
          n.path("tool").asText(""),
          ToolKind.fromWireName(n.path("kind").asText("tool")),
          LocalDate.parse(n.path("effectiveFrom").asText("1970-01-01")),
          price(n, "perCallUsd"),
          price(n, "perSecondUsd"),
          price(n, "perUnitUsd"),
          n.path("unitAttribute").asText(""));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("tool price has an invalid effectiveFrom", e);
    }
  }

  private static @Nullable BigDecimal price(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return v.decimalValue();
  }
}
