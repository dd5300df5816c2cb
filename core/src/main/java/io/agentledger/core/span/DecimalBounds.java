package io.agentledger.core.span;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The range of dollar amounts and prices both stores can hold ({@code DECIMAL(38,12)}), and the
 * checks that keep a value inside it <em>before</em> any arithmetic. {@link BigDecimal} does exact
 * arithmetic at any size, so {@code new BigDecimal("1e-999999999").setScale(12)} runs for minutes
 * and {@code 1e30} at scale 12 no longer fits the column; every check here looks only at the
 * value's precision and scale, which are cheap, and rounds only values already known to be small.
 */
public final class DecimalBounds {

  /** The largest cost of one span, in dollars: far above any real call, far below the column. */
  public static final BigDecimal MAX_COST_USD = BigDecimal.ONE.scaleByPowerOfTen(9);

  /** The largest price per million tokens, in dollars. */
  public static final BigDecimal MAX_PRICE_PER_MILLION = BigDecimal.ONE.scaleByPowerOfTen(6);

  /** Prices keep 18 decimal places: a price per million times a token count stays exact to 12. */
  public static final int PRICE_SCALE = 18;

  /** Longest decimal text read at all; a real cost or price is a few dozen characters. */
  public static final int MAX_TEXT_CHARS = 64;

  private DecimalBounds() {}

  /**
   * Parses a non-negative decimal of at most {@link #MAX_TEXT_CHARS} characters, not above {@code
   * max}, rounded half-even to {@code scale} places (a value too small to show at that scale
   * becomes zero).
   *
   * @throws IllegalArgumentException with a short reason when the text is not such a number
   */
  public static BigDecimal parse(String raw, BigDecimal max, int scale) {
    String s = raw.trim();
    if (s.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException("is longer than " + MAX_TEXT_CHARS + " characters");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a number");
    }
    return bounded(value, max, scale);
  }

  /**
   * The value rounded half-even to {@code scale} places, when it is between zero and {@code max}.
   *
   * @throws IllegalArgumentException when it is negative or above {@code max}
   */
  public static BigDecimal bounded(BigDecimal value, BigDecimal max, int scale) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("is negative");
    }
    if (value.signum() == 0) {
      return BigDecimal.ZERO.setScale(scale);
    }
    // The decimal exponent of the leading digit: 1e30 → 30, 0.05 → -2, 1e-999999999 → -999999999.
    long exponent = (long) value.precision() - value.scale() - 1;
    long maxExponent = (long) max.precision() - max.scale() - 1;
    if (exponent > maxExponent || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("is above the limit of " + max.toPlainString());
    }
    if (exponent < -(long) scale - 1) {
      return BigDecimal.ZERO.setScale(scale); // below half of the last place: rounds to zero
    }
    return value.setScale(scale, RoundingMode.HALF_EVEN);
  }

  /** Whether the value is a cost the stores can hold: between zero and {@link #MAX_COST_USD}. */
  public static boolean isStorableCost(BigDecimal amountUsd) {
    if (amountUsd.signum() < 0) {
      return false;
    }
    long exponent = (long) amountUsd.precision() - amountUsd.scale() - 1;
    return amountUsd.signum() == 0 || exponent <= 9 && amountUsd.compareTo(MAX_COST_USD) <= 0;
  }
}
