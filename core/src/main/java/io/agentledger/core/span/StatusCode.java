package io.agentledger.core.span;

import java.util.Locale;

/** OTLP span status code, numbered as in {@code trace.proto}. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR;

  public static StatusCode fromNumber(int number) {
    StatusCode[] all = values();
    return number >= 0 && number < all.length ? all[number] : UNSET;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StatusCode fromWireName(String name) {
    if (name == null) {
      return UNSET;
    }
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNSET;
    }
  }
}
