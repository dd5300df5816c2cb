package io.agentledger.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.http.Problem;
import io.agentledger.core.config.Settings;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertRules;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a rule body strictly: unknown fields, wrong types and values out of range are each a 400
 * naming the field ({@link Problem#badField}).
 */
final class AlertRuleParser {

  static final int MAX_NAME_LENGTH = 200;
  static final long MAX_MIN_CALLS = 1_000_000_000L;
  static final double MAX_USD = 1e9;

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "kind",
          "scope",
          "match",
          "window",
          "threshold",
          "minCalls",
          "severity",
          "enabled");

  private AlertRuleParser() {}

  static AlertRule parse(
      JsonNode body, String project, String id, Instant createdAt, Instant updatedAt) {
    if (body == null || !body.isObject()) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!FIELDS.contains(f)) {
        throw Problem.badField(f, "unknown field; the fields are " + String.join(", ", order()));
      }
    }
    String name = text(body, "name", null).strip();
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw Problem.badField("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    String kind = oneOf(body, "kind", null, AlertRules.KINDS);
    String scope = oneOf(body, "scope", AlertRules.SCOPE_PROJECT, AlertRules.SCOPES);
    String match = text(body, "match", "").strip();
    if (match.length() > MAX_NAME_LENGTH) {
      throw Problem.badField("match", "must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (!match.isEmpty() && scope.equals(AlertRules.SCOPE_PROJECT)) {
      throw Problem.badField("match", "needs a scope other than project (agent, userId, model)");
    }
    Duration window = window(text(body, "window", null));
    double threshold = number(body, "threshold");
    if (kind.equals(AlertRules.UNPRICED_SHARE) ? threshold > 1 : threshold > MAX_USD) {
      throw Problem.badField(
          "threshold",
          kind.equals(AlertRules.UNPRICED_SHARE)
              ? "is a share of calls: above 0, at most 1"
              : "must be at most " + (long) MAX_USD + " USD");
    }
    long minCalls = integer(body, "minCalls");
    String severity = oneOf(body, "severity", "warning", AlertRules.SEVERITIES);
    boolean enabled = bool(body, "enabled");
    return new AlertRule(
        project, id, name, kind, scope, match, window, threshold, minCalls, severity, enabled,
        createdAt, updatedAt);
  }

  private static List<String> order() {
    return List.of(
        "name", "kind", "scope", "match", "window", "threshold", "minCalls", "severity", "enabled");
  }

  private static String text(JsonNode body, String field, @Nullable String orElse) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (orElse == null) {
        throw Problem.badField(field, "is required");
      }
      return orElse;
    }
    if (!n.isTextual()) {
      throw Problem.badField(field, "must be a string");
    }
    return n.asText();
  }

  private static String oneOf(
      JsonNode body, String field, @Nullable String orElse, List<String> allowed) {
    String v = text(body, field, orElse);
    if (!allowed.contains(v)) {
      throw Problem.badField(field, "must be one of " + String.join(", ", allowed));
    }
    return v;
  }

  private static Duration window(String raw) {
    Duration d;
    try {
      d = raw.startsWith("P") || raw.startsWith("p") ? Duration.parse(raw) : parseShort(raw);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw Problem.badField("window", "must be a duration such as 30m, 24h, 7d or PT24H");
    }
    if (d.compareTo(AlertRules.MIN_WINDOW) < 0 || d.compareTo(AlertRules.MAX_WINDOW) > 0) {
      throw Problem.badField("window", "must be from 1m to 31d");
    }
    return d;
  }

  private static Duration parseShort(String raw) {
    return Settings.parseDuration(raw);
  }

  private static double number(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw Problem.badField(field, "is required");
    }
    if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() <= 0) {
      throw Problem.badField(field, "must be a number above 0");
    }
    return n.asDouble();
  }

  private static long integer(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > MAX_MIN_CALLS) {
      throw Problem.badField(field, "must be a whole number from 0 to " + MAX_MIN_CALLS);
    }
    return n.asLong();
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return true;
    }
    if (!n.isBoolean()) {
      throw Problem.badField(field, "must be true or false");
    }
    return n.asBoolean();
  }
}
