package io.agentledger.core.normalize;

import java.util.Map;

/** Lookups over a span's string attributes, with the convention-precedence helpers we need. */
final class Attrs {

  /** Token counts above this are not plausible for one call and are treated as invalid. */
  static final long MAX_TOKENS = 1_000_000_000L;

  private final Map<String, String> values;

  Attrs(Map<String, String> values) {
    this.values = values;
  }

  Map<String, String> map() {
    return values;
  }

  String get(String key) {
    String v = values.get(key);
    return v == null ? "" : v;
  }

  boolean has(String key) {
    String v = values.get(key);
    return v != null && !v.isBlank();
  }

  /** The first non-blank value among the keys, in order; empty if none. */
  String first(String... keys) {
    for (String key : keys) {
      String v = values.get(key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return "";
  }

  /** The first non-blank value of the field's keys, in precedence order; empty if none. */
  String first(Conventions.Field field) {
    return first(field.names());
  }

  /** The first key among these that is present, or null. */
  String firstKey(String... keys) {
    for (String key : keys) {
      if (has(key)) {
        return key;
      }
    }
    return null;
  }

  /**
   * A token count: a non-negative integer, written as an int, an integral double ({@code 1200.0},
   * as JavaScript emitters send) or a numeric string. Returns -1 when absent.
   *
   * @throws InvalidValueException for negative, fractional, NaN, non-numeric or absurdly large
   *     counts
   */
  long tokens(String key) {
    String raw = values.get(key);
    if (raw == null || raw.isBlank()) {
      return -1;
    }
    return parseTokens(key, raw);
  }

  /** The first present token count among the keys; -1 when none is present. */
  long firstTokens(String... keys) {
    for (String key : keys) {
      long v = tokens(key);
      if (v >= 0) {
        return v;
      }
    }
    return -1;
  }

  static long parseTokens(String key, String raw) {
    String s = raw.trim();
    long value;
    try {
      value = Long.parseLong(s);
    } catch (NumberFormatException e) {
      double d;
      try {
        d = Double.parseDouble(s);
      } catch (NumberFormatException e2) {
        throw new InvalidValueException(key + "=" + abbreviate(raw) + " is not a number");
      }
      if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
        throw new InvalidValueException(key + "=" + abbreviate(raw) + " is not a whole number");
      }
      if (Math.abs(d) > MAX_TOKENS) {
        throw new InvalidValueException(key + "=" + abbreviate(raw) + " is implausibly large");
      }
      value = (long) d;
    }
    if (value < 0) {
      throw new InvalidValueException(key + "=" + value + " is negative");
    }
    if (value > MAX_TOKENS) {
      throw new InvalidValueException(key + "=" + value + " is implausibly large");
    }
    return value;
  }

  static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 29) + "...";
  }

  /** An attribute whose value cannot be used; the span is kept, the value ignored. */
  static final class InvalidValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidValueException(String message) {
      super(message, null, false, false);
    }
  }
}
