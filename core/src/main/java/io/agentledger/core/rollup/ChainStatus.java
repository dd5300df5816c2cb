package io.agentledger.core.rollup;

import java.util.Locale;

/** How a chain ended: as its root span did. */
public enum ChainStatus {
  /** The root span did not fail (OTLP status unset or ok). */
  OK,
  /** The root span failed. */
  ERROR;

  /** The lower-case name used on the wire and in storage ({@code ok}, {@code error}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #wireName()}. */
  public static ChainStatus fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
