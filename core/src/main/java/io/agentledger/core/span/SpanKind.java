package io.agentledger.core.span;

import java.util.Locale;

/** OTLP span kind, numbered as in {@code trace.proto}. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER;

  /** The OTLP enum number of this kind. */
  public int number() {
    return ordinal();
  }

  /** The kind for an OTLP enum number; out-of-range numbers are {@link #UNSPECIFIED}. */
  public static SpanKind fromNumber(int number) {
    SpanKind[] all = values();
    return number >= 0 && number < all.length ? all[number] : UNSPECIFIED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SpanKind fromWireName(String name) {
    if (name == null) {
      return UNSPECIFIED;
    }
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNSPECIFIED;
    }
  }
}
