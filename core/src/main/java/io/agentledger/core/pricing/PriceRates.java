package io.agentledger.core.pricing;

import io.agentledger.core.span.DecimalBounds;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Prices in US dollars per million tokens. Only {@code input} is required; a missing cache or
 * reasoning price falls back as documented on each accessor.
 */
public record PriceRates(
    BigDecimal input,
    BigDecimal output,
    BigDecimal cacheRead,
    BigDecimal cacheWrite5m,
    BigDecimal cacheWrite1h,
    BigDecimal reasoning) {

  public PriceRates {
    Objects.requireNonNull(input, "input");
    input = bounded(input, "input");
    output = bounded(output, "output");
    cacheRead = bounded(cacheRead, "cacheRead");
    cacheWrite5m = bounded(cacheWrite5m, "cacheWrite5m");
    cacheWrite1h = bounded(cacheWrite1h, "cacheWrite1h");
    reasoning = bounded(reasoning, "reasoning");
  }

  public static PriceRates of(double inputPerMillion, double outputPerMillion) {
    return new PriceRates(
        BigDecimal.valueOf(inputPerMillion),
        BigDecimal.valueOf(outputPerMillion),
        null,
        null,
        null,
        null);
  }

  /** Output price; zero when the model bills no output (embeddings). */
  public BigDecimal outputOrZero() {
    return output == null ? BigDecimal.ZERO : output;
  }

  /** Cache-read price; the input price when the provider publishes none. */
  public BigDecimal cacheReadOrInput() {
    return cacheRead == null ? input : cacheRead;
  }

  /** Five-minute cache-write price; the input price when the provider publishes none. */
  public BigDecimal cacheWrite5mOrInput() {
    return cacheWrite5m == null ? input : cacheWrite5m;
  }

  /** One-hour cache-write price; else the five-minute price. */
  public BigDecimal cacheWrite1hOrShorter() {
    return cacheWrite1h == null ? cacheWrite5mOrInput() : cacheWrite1h;
  }

  /** Reasoning-token price; the output price when the provider bills reasoning as output. */
  public BigDecimal reasoningOrOutput() {
    return reasoning == null ? outputOrZero() : reasoning;
  }

  /** These rates with every non-null field of {@code override} replacing ours. */
  public PriceRates overlay(PartialRates override) {
    return new PriceRates(
        firstNonNull(override.input(), input),
        firstNonNull(override.output(), output),
        firstNonNull(override.cacheRead(), cacheRead),
        firstNonNull(override.cacheWrite5m(), cacheWrite5m),
        firstNonNull(override.cacheWrite1h(), cacheWrite1h),
        firstNonNull(override.reasoning(), reasoning));
  }

  private static BigDecimal firstNonNull(BigDecimal a, BigDecimal b) {
    return a != null ? a : b;
  }

  /**
   * A price between zero and {@link DecimalBounds#MAX_PRICE_PER_MILLION}, at {@link
   * DecimalBounds#PRICE_SCALE} places, checked before any arithmetic on it; null stays null.
   */
  static BigDecimal bounded(BigDecimal value, String name) {
    if (value == null) {
      return null;
    }
    try {
      return DecimalBounds.bounded(
          value, DecimalBounds.MAX_PRICE_PER_MILLION, DecimalBounds.PRICE_SCALE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " price " + e.getMessage() + ": " + abbreviate(value), e);
    }
  }

  private static String abbreviate(BigDecimal value) {
    String s = value.toString(); // scientific for extreme exponents, so short
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** Prices that replace some fields of a {@link PriceRates} (a tier or a service tier). */
  public record PartialRates(
      BigDecimal input,
      BigDecimal output,
      BigDecimal cacheRead,
      BigDecimal cacheWrite5m,
      BigDecimal cacheWrite1h,
      BigDecimal reasoning) {

    public PartialRates {
      input = bounded(input, "input");
      output = bounded(output, "output");
      cacheRead = bounded(cacheRead, "cacheRead");
      cacheWrite5m = bounded(cacheWrite5m, "cacheWrite5m");
      cacheWrite1h = bounded(cacheWrite1h, "cacheWrite1h");
      reasoning = bounded(reasoning, "reasoning");
    }
  }
}
