package io.agentledger.instrumentation;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * An exact running sum of dollar amounts, kept as {@code unscaled × 10^-scale} in a long so that
 * adding a call's price is a long addition rather than a new {@link BigDecimal} per call; what does
 * not fit a long is summed as a {@code BigDecimal} beside it. A {@code BigDecimal} is made only
 * when the sum is read.
 *
 * <p>{@link #value()} has the scale the sum of the amounts as {@code BigDecimal}s, each with its
 * trailing zeros stripped, would have had (the largest of their scales): what the library reported
 * when it added {@code BigDecimal}s.
 *
 * <p>Not thread-safe: the owner's lock guards it.
 */
final class DecimalSum {

  private static final long[] POW10 = new long[19];
  // For a divisibility test by 5^k without a division: x × INV5[k] (mod 2^64) is at most
  // DIV5[k] exactly when 5^k divides x (5^k is odd, so it has an inverse modulo 2^64).
  private static final long[] INV5 = new long[19];
  private static final long[] DIV5 = new long[19];

  static {
    POW10[0] = 1;
    long pow5 = 1;
    for (int i = 0; i < POW10.length; i++) {
      if (i > 0) {
        POW10[i] = POW10[i - 1] * 10;
        pow5 *= 5;
      }
      long inverse = pow5; // Newton's iteration doubles the correct low bits each step
      for (int step = 0; step < 6; step++) {
        inverse *= 2 - pow5 * inverse;
      }
      INV5[i] = inverse;
      DIV5[i] = Long.divideUnsigned(-1L, pow5);
    }
  }

  /** Whether 10^digits divides the non-negative value, with a multiplication, not a division. */
  private static boolean divisibleByPow10(long value, int digits) {
    return Long.numberOfTrailingZeros(value) >= digits
        && Long.compareUnsigned(value * INV5[digits], DIV5[digits]) <= 0;
  }

  private final boolean keepsScale;
  private long unscaled;
  private int scale;
  private @Nullable BigDecimal rest; // amounts that did not fit the long, exactly
  private int strippedScale = Integer.MIN_VALUE; // nothing added yet

  /**
   * @param keepsScale whether {@link #value()} must have the scale described above; without it,
   *     only {@link #stripped()} is meaningful and adding skips the bookkeeping
   */
  DecimalSum(boolean keepsScale) {
    this.keepsScale = keepsScale;
  }

  /** Adds {@code amount × 10^-amountScale}. */
  void add(long amount, int amountScale) {
    if (keepsScale) {
      noteStrippedScale(amount, amountScale);
    }
    if (amountScale == scale) {
      long sum = unscaled + amount;
      if (((unscaled ^ sum) & (amount ^ sum)) >= 0) { // no overflow
        unscaled = sum;
        return;
      }
    }
    addRescaled(amount, amountScale);
  }

  /** Adds an amount priced by core's arithmetic (already stripped of trailing zeros). */
  void add(BigDecimal amount) {
    strippedScale = Math.max(strippedScale, amount.signum() == 0 ? 0 : amount.scale());
    if (amount.scale() >= 0 && amount.unscaledValue().bitLength() < 63) {
      addLong(amount.unscaledValue().longValue(), amount.scale());
    } else {
      addRest(amount);
    }
  }

  /** The sum, or zero when nothing was added; see the class comment for its scale. */
  BigDecimal value() {
    if (!keepsScale) {
      throw new IllegalStateException("a sum made without its scale");
    }
    if (strippedScale == Integer.MIN_VALUE) {
      return BigDecimal.ZERO;
    }
    // Exact: the sum of amounts of scale at most strippedScale has no more decimals than that.
    return exact().setScale(strippedScale);
  }

  /** The sum with its trailing zeros stripped; {@link BigDecimal#ZERO} for zero. */
  BigDecimal stripped() {
    BigDecimal sum = exact();
    return sum.signum() == 0 ? BigDecimal.ZERO : sum.stripTrailingZeros();
  }

  private BigDecimal exact() {
    BigDecimal sum = BigDecimal.valueOf(unscaled, scale);
    return rest == null ? sum : sum.add(rest);
  }

  /** Whether {@code sum ≥ budget}, or {@code sum + estimate > budget} for a positive estimate. */
  boolean exceeds(long estimate, int estimateScale, Limit budget) {
    if (rest == null && budget.unscaled() >= 0) {
      int target = Math.max(scale, Math.max(estimateScale, budget.scale()));
      long spent = rescale(unscaled, target - scale);
      long est = rescale(estimate, target - estimateScale);
      long limit = rescale(budget.unscaled(), target - budget.scale());
      if (spent >= 0 && est >= 0 && limit >= 0) {
        long total = spent + est;
        return spent >= limit || (est > 0 && (total < 0 || total > limit));
      }
    }
    return exceeds(BigDecimal.valueOf(estimate, estimateScale), budget.usd());
  }

  /** {@link #exceeds(long, int, Limit)} for an estimate core's arithmetic priced. */
  boolean exceeds(BigDecimal estimate, BigDecimal budget) {
    BigDecimal spent = exact();
    return spent.compareTo(budget) >= 0
        || (estimate.signum() > 0 && spent.add(estimate).compareTo(budget) > 0);
  }

  /**
   * An amount stripped of its trailing zeros has the scale {@code amountScale - (its trailing
   * zeros)}; only an amount that could raise the largest such scale is counted (one multiplication,
   * not a loop of divisions, per call).
   */
  private void noteStrippedScale(long amount, int amountScale) {
    if (amount == 0) {
      strippedScale = Math.max(strippedScale, 0); // BigDecimal.ZERO
      return;
    }
    long room = (long) amountScale - strippedScale; // the first amount: always counted
    if (room <= 0 || (room < POW10.length && divisibleByPow10(amount, (int) room))) {
      return; // this amount's stripped scale is not above the largest one
    }
    int s = amountScale;
    long a = amount;
    while (a % 10 == 0) {
      a /= 10;
      s--;
    }
    strippedScale = Math.max(strippedScale, s);
  }

  private void addRescaled(long amount, int amountScale) {
    if (amountScale < 0) {
      addRest(BigDecimal.valueOf(amount, amountScale));
      return;
    }
    addLong(amount, amountScale);
  }

  private void addLong(long amount, int amountScale) {
    int target = Math.max(scale, amountScale);
    long a = rescale(unscaled, target - scale);
    long b = rescale(amount, target - amountScale);
    long sum = a + b;
    if (a >= 0 && b >= 0 && sum >= 0) {
      unscaled = sum;
      scale = target;
    } else {
      addRest(BigDecimal.valueOf(amount, amountScale));
    }
  }

  private void addRest(BigDecimal amount) {
    rest = rest == null ? amount : rest.add(amount);
  }

  /** {@code value × 10^digits}, or -1 when it does not fit (values here are non-negative). */
  private static long rescale(long value, int digits) {
    if (value < 0 || digits < 0 || digits >= POW10.length) {
      return -1;
    }
    long high = Math.multiplyHigh(value, POW10[digits]);
    long product = value * POW10[digits];
    return high == 0 && product >= 0 ? product : -1;
  }

  /**
   * A budget in USD, with its value as {@code unscaled × 10^-scale} in a long when it fits ({@code
   * unscaled} -1 otherwise), made once so that checking a call does not unpack it.
   */
  record Limit(BigDecimal usd, long unscaled, int scale) {
    static Limit of(BigDecimal usd) {
      BigDecimal v = usd.scale() < 0 ? usd.setScale(0) : usd;
      long unscaled = v.unscaledValue().bitLength() < 63 ? v.unscaledValue().longValue() : -1;
      return new Limit(usd, unscaled, v.scale());
    }
  }
}
