package io.agentledger.api.prices;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.http.Problem;
import io.agentledger.core.pricing.ToolKind;
import io.agentledger.core.pricing.ToolPrice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the body of {@code PUT /prices/tools/{tool}} into a {@link ToolPrice}, or a 400. */
final class ToolPriceRequests {

  static final Set<String> FIELDS =
      Set.of("kind", "effectiveFrom", "perCallUsd", "perSecondUsd", "perUnitUsd", "unitAttribute");

  private ToolPriceRequests() {}

  static ToolPrice parse(String tool, JsonNode body) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw Problem.badRequest(
            "unknown field '"
                + name
                + "'; a tool price has "
                + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    try {
      LocalDate from = LocalDate.parse(body.path("effectiveFrom").asText("1970-01-01"));
      if (from.getYear() < 1970 || from.getYear() > 9999) {
        throw Problem.badRequest("'effectiveFrom' must lie between 1970-01-01 and 9999-12-31");
      }
      JsonNode unit = body.path("unitAttribute");
      if (!unit.isMissingNode() && !unit.isNull() && !unit.isTextual()) {
        throw Problem.badRequest("'unitAttribute' must be an attribute key");
      }
      return new ToolPrice(
          tool,
          ToolKind.fromWireName(body.path("kind").asText("tool")),
          from,
          price(body, "perCallUsd"),
          price(body, "perSecondUsd"),
          price(body, "perUnitUsd"),
          unit.asText(""));
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("'effectiveFrom' must be a date such as 2025-01-31");
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(e.getMessage());
    }
  }

  private static @Nullable BigDecimal price(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw Problem.badRequest(
          "'"
              + field
              + "' must be a number from 0 to "
              + ToolPrice.MAX_PRICE_USD.toPlainString()
              + " (USD)");
    }
    return v.decimalValue();
  }
}
