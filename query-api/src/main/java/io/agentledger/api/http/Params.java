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

  /** The largest amount of dollars a parameter may name (the store keeps 26 integer digits). */
  public static final BigDecimal MAX_USD = new BigDecimal("1e15");

  /** The most decimal places of a dollar amount the store keeps. */
  public static final int MAX_USD_SCALE = 12;

  /** Instants the store can hold: nanoseconds since the epoch in a signed 64-bit integer. */
  private static final Instant EARLIEST = Instant.ofEpochSecond(0, Long.MIN_VALUE);

  private static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

  /**
   * An instant given as ISO-8601 ({@code 2025-11-23T10:00:00Z}, offsets allowed) or epoch
   * milliseconds.
   */
  public static Optional<Instant> instant(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(storable(name, parseInstant(name, raw.trim())));
  }

  private static Instant parseInstant(String name, String s) {
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(s));
      } catch (NumberFormatException e) {
        throw outOfRange(name);
      }
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e2) {
        throw Problem.badRequest(
            "'" + name + "' must be an ISO-8601 time (2025-11-23T10:00:00Z) or epoch milliseconds");
      }
    }
  }

  private static Instant storable(String name, Instant t) {
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw outOfRange(name);
    }
    return t;
  }

  private static Problem outOfRange(String name) {
    return Problem.badRequest(
        "'" + name + "' is out of range: times must lie between " + EARLIEST + " and " + LATEST);
  }

  /** {@code from}/{@code to}; absent ones default to {@code now} and {@code to - defaultSpan}. */
  public static TimeRange range(Context ctx, Clock clock, Duration defaultSpan) {
    Instant to = instant(ctx, "to").orElseGet(clock::instant);
    Instant from =
        instant(ctx, "from")
            .orElseGet(
                () -> to.minus(defaultSpan).isBefore(EARLIEST) ? EARLIEST : to.minus(defaultSpan));
    if (to.isBefore(from)) {
      throw Problem.badRequest("'to' must not be before 'from'");
    }
    return new TimeRange(from, to);
  }

  public static int limit(Context ctx, int defaultLimit, int max) {
    return intInRange(ctx, "limit", defaultLimit, 1, max);
  }

  /** An integer parameter between {@code min} and {@code max}, else 400. */
  public static int intInRange(Context ctx, String name, int defaultValue, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the problem below
    }
    throw Problem.badRequest("'" + name + "' must be an integer between " + min + " and " + max);
  }

  /** What a filter parameter says when it matches any value: Grafana's "All" sends it. */
  public static final String ANY = "*";

  /**
   * A filter's value: the parameter, trimmed; empty (no filter) when it is absent or {@link #ANY}.
   */
  public static String filter(Context ctx, String name) {
    String value = string(ctx, name);
    return value.equals(ANY) ? "" : value;
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
    BigDecimal value;
    try {
      value = new BigDecimal(raw.trim());
    } catch (NumberFormatException e) {
      throw Problem.badRequest("'" + name + "' must be a number");
    }
    if (value.signum() < 0) {
      throw Problem.badRequest("'" + name + "' must not be negative");
    }
    if (value.compareTo(MAX_USD) > 0) {
      throw Problem.badRequest("'" + name + "' must be at most " + MAX_USD.toPlainString());
    }
    BigDecimal exact = value.stripTrailingZeros();
    if (exact.scale() > MAX_USD_SCALE) {
      throw Problem.badRequest(
          "'" + name + "' may have at most " + MAX_USD_SCALE + " decimal places");
    }
    return Optional.of(exact.scale() < 0 ? exact.setScale(0) : exact);
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
