package io.agentledger.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.DecimalBounds;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A cost the emitter computed itself, from the keys of {@link Conventions#REPORTED_COST} in order;
 * the first, Langfuse's cost details, is JSON: its {@code total}, else the sum of its parts.
 */
final class ReportedCost {

  record Result(BigDecimal amountUsd, String problem) {}

  private static final Result NONE = new Result(null, "");
  private static final String[] KEYS = Conventions.REPORTED_COST.names();

  /** Langfuse's cost details, the first key: JSON, not a number. */
  private static final String DETAILS =
      Conventions.REPORTED_COST.require("langfuse.observation.cost_details");

  private static final String[] OTHER_KEYS =
      Arrays.stream(KEYS).filter(k -> !k.equals(DETAILS)).toArray(String[]::new);

  private ReportedCost() {}

  static Result extract(Attrs a) {
    String details = a.get(DETAILS);
    if (!details.isEmpty()) {
      JsonNode node = SmallJson.parse(details);
      if (node != null && node.isObject()) {
        if (node.has("total")) {
          return parse(DETAILS + ".total", node.get("total").asText());
        }
        BigDecimal sum = BigDecimal.ZERO;
        var it = node.fields();
        while (it.hasNext()) {
          var e = it.next();
          Result part = parse(DETAILS + "." + e.getKey(), e.getValue().asText());
          if (part.amountUsd() == null) {
            return part;
          }
          sum = sum.add(part.amountUsd());
        }
        if (!DecimalBounds.isStorableCost(sum)) {
          return new Result(null, DETAILS + " parts add up to more than the limit, ignored");
        }
        return new Result(sum, "");
      }
      return new Result(null, DETAILS + " is not a JSON object");
    }
    String key = a.firstKey(OTHER_KEYS);
    return key == null ? NONE : parse(key, a.get(key));
  }

  /**
   * A reported amount, bounded before any arithmetic by {@link DecimalBounds}: a negative, absurdly
   * large (above {@link DecimalBounds#MAX_COST_USD}) or unreadable value is ignored, so the span is
   * priced from its usage instead; a value too small for 12 decimal places counts as zero.
   */
  private static Result parse(String key, String raw) {
    try {
      return new Result(DecimalBounds.parse(raw, DecimalBounds.MAX_COST_USD, Cost.SCALE), "");
    } catch (IllegalArgumentException e) {
      return new Result(
          null,
          "reported cost "
              + key
              + "="
              + Attrs.abbreviate(raw)
              + " "
              + e.getMessage()
              + ", ignored");
    }
  }
}
