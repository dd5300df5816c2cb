package io.agentledger.api.http;

import io.agentledger.core.config.Settings;
import io.agentledger.store.TimeRange;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses and validates query parameters; every failure is a 400 problem naming the parameter. */
public final class Params {

  private Params() {}

  /**
   * An instant given as ISO-8601 ({@code 2025-11-23T10:00:00Z}, offsets allowed) or epoch
   * milliseconds.
   */
  public static Optional<Instant> instant(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String s = raw.trim();
    if (s.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(s)));
      } catch (NumberFormatException e) {
        throw Problem.badRequest("'" + name + "' is out of range");
      }
    }
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(s));
      } catch (DateTimeParseException e2) {
        throw Problem.badRequest(
            "'" + name + "' must be an ISO-8601 time (2025-11-23T10:00:00Z) or epoch milliseconds");
      }
    }
  }

  /** {@code from}/{@code to}; absent ones default to {@code now} and {@code to - defaultSpan}. */
  public static TimeRange range(Context ctx, Clock clock, Duration defaultSpan) {
    Instant to = instant(ctx, "to").orElseGet(clock::instant);
    Instant from = instant(ctx, "from").orElse(to.minus(defaultSpan));
    if (to.isBefore(from)) {
      throw Problem.badRequest("'to' must not be before 'from'");
    }
    return new TimeRange(from, to);
  }

  public static int limit(Context ctx, int defaultLimit, int max) {
    String raw = ctx.queryParam("limit");
    if (raw == null || raw.isBlank()) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the problem below
    }
    throw Problem.badRequest("'limit' must be an integer between 1 and " + max);
  }

  public static String string(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    return raw == null ? "" : raw.trim();
  }

  public static Optional<BigDecimal> decimal(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      BigDecimal value = new BigDecimal(raw.trim());
      if (value.signum() < 0) {
        throw Problem.badRequest("'" + name + "' must not be negative");
      }
      return Optional.of(value);
    } catch (NumberFormatException e) {
      throw Problem.badRequest("'" + name + "' must be a number");
    }
  }

  public static Optional<Duration> duration(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Settings.parseDuration(raw));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("'" + name + "' must be a duration such as 5m, 1h or 1d");
    }
  }

  /** A 32-hex-digit trace id, lower-cased. */
  public static String traceId(Context ctx) {
    String id = ctx.pathParam("traceId").trim();
    if (id.length() != 32 || !id.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw Problem.badRequest("traceId must be 32 hexadecimal digits");
    }
    return id.toLowerCase(java.util.Locale.ROOT);
  }
}
