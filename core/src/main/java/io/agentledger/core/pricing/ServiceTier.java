package io.agentledger.core.pricing;

import java.util.Locale;

/** The processing tier a request ran in; OpenAI and Gemini price them differently. */
public enum ServiceTier {
  STANDARD,
  BATCH,
  FLEX,
  PRIORITY;

  /**
   * Parses what spans report ({@code default}, {@code auto}, {@code scale}, {@code standard} are
   * all the standard tier); unknown or empty values are {@link #STANDARD}.
   */
  public static ServiceTier parse(String value) {
    if (value == null) {
      return STANDARD;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "batch":
        return BATCH;
      case "flex":
        return FLEX;
      case "priority":
      case "fast":
        return PRIORITY;
      default:
        return STANDARD;
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
