package io.agentledger.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A cost the emitter computed itself. Precedence: {@code langfuse.observation.cost_details} ({@code
 * total}, else the sum of its parts), {@code llm.cost.total} (OpenInference), {@code
 * gen_ai.usage.cost} (OpenLIT), {@code operation.cost} (Pydantic AI / Logfire).
 */
final class ReportedCost {

  record Result(@Nullable BigDecimal amountUsd, String problem) {}

  private static final Result NONE = new Result(null, "");

  private ReportedCost() {}

  static Result extract(Attrs a) {
    String details = a.get("langfuse.observation.cost_details");
    if (!details.isEmpty()) {
      JsonNode node = SmallJson.parse(details);
      if (node != null && node.isObject()) {
        if (node.has("total")) {
          return parse("langfuse.observation.cost_details.total", node.get("total").asText());
        }
        BigDecimal sum = BigDecimal.ZERO;
        var it = node.fields();
        while (it.hasNext()) {
          var e = it.next();
          Result part =
              parse("langfuse.observation.cost_details." + e.getKey(), e.getValue().asText());
          if (part.amountUsd() == null) {
            return part;
          }
          sum = sum.add(part.amountUsd());
        }
        return new Result(sum, "");
      }
      return new Result(null, "langfuse.observation.cost_details is not a JSON object");
    }
    String key = a.firstKey("llm.cost.total", "gen_ai.usage.cost", "operation.cost");
    return key == null ? NONE : parse(key, a.get(key));
  }

  private static Result parse(String key, String raw) {
    try {
      BigDecimal value = new BigDecimal(raw.trim());
      if (value.signum() < 0) {
        return new Result(null, "reported cost " + key + "=" + raw + " is negative, ignored");
      }
      return new Result(value, "");
    } catch (NumberFormatException e) {
      return new Result(
          null, "reported cost " + key + "=" + Attrs.abbreviate(raw) + " is not a number, ignored");
    }
  }
}
