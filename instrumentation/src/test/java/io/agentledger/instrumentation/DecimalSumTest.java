package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The long sum gives what adding the stripped BigDecimals gave: the same value and scale. */
class DecimalSumTest {

  @Test
  void sums_equalTheBigDecimalSumOfTheStrippedAmounts_valueAndScale() {
    SplittableRandom random = new SplittableRandom(18);
    for (int series = 0; series < 200; series++) {
      DecimalSum sum = new DecimalSum(true);
      BigDecimal expected = null;
      assertThat(sum.value()).isEqualTo(BigDecimal.ZERO);
      for (int i = 0; i < 50; i++) {
        long amount = amount(random);
        int scale = random.nextInt(0, 16);
        BigDecimal stripped =
            amount == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(amount, scale).stripTrailingZeros();
        if (random.nextInt(10) == 0) {
          sum.add(stripped); // an amount core's arithmetic priced
        } else {
          sum.add(amount, scale);
        }
        expected = expected == null ? stripped : expected.add(stripped);
        assertThat(sum.value()).as("series %d, step %d", series, i).isEqualTo(expected);
        assertThat(sum.stripped()).isEqualTo(expected.stripTrailingZeros());
      }
    }
  }

  @Test
  void amountsBeyondALong_andNegativeScales_stayExact() {
    DecimalSum sum = new DecimalSum(true);
    BigDecimal expected = BigDecimal.ZERO;
    for (int i = 0; i < 5; i++) {
      sum.add(Long.MAX_VALUE / 3, 2);
      expected = expected.add(BigDecimal.valueOf(Long.MAX_VALUE / 3, 2));
    }
    sum.add(new BigDecimal("2E+1"));
    sum.add(new BigDecimal("123456789012345678901234567890.5"));
    sum.add(7, 30); // a scale beyond any power of ten a long holds
    expected =
        expected
            .add(new BigDecimal("2E+1"))
            .add(new BigDecimal("123456789012345678901234567890.5"))
            .add(BigDecimal.valueOf(7, 30));
    assertThat(sum.value()).isEqualTo(expected);
  }

  @Test
  void exceeds_isTheBigDecimalComparison() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      DecimalSum sum = new DecimalSum(true);
      BigDecimal spent = BigDecimal.ZERO;
      int adds = random.nextInt(0, 4);
      for (int a = 0; a < adds; a++) {
        long amount = random.nextLong(0, 2_000_000);
        int scale = random.nextInt(0, 10);
        sum.add(amount, scale);
        spent = spent.add(BigDecimal.valueOf(amount, scale));
      }
      long estimate = random.nextInt(3) == 0 ? 0 : random.nextLong(0, 2_000_000);
      int estimateScale = random.nextInt(0, 10);
      BigDecimal budget =
          random.nextInt(5) == 0
              ? new BigDecimal("1E+3")
              : BigDecimal.valueOf(random.nextLong(1, 2_000_000), random.nextInt(0, 10));
      BigDecimal est = BigDecimal.valueOf(estimate, estimateScale);
      boolean expected =
          spent.compareTo(budget) >= 0
              || (est.signum() > 0 && spent.add(est).compareTo(budget) > 0);
      assertThat(sum.exceeds(estimate, estimateScale, DecimalSum.Limit.of(budget)))
          .as("spent %s + %s against %s", spent, est, budget)
          .isEqualTo(expected);
      assertThat(sum.exceeds(est, budget)).isEqualTo(expected);
    }
    DecimalSum huge = new DecimalSum(true);
    huge.add(Long.MAX_VALUE - 1, 0);
    assertThat(huge.exceeds(Long.MAX_VALUE - 1, 0, DecimalSum.Limit.of(BigDecimal.TEN))).isTrue();
    assertThat(
            new DecimalSum(true)
                .exceeds(Long.MAX_VALUE - 1, 18, DecimalSum.Limit.of(new BigDecimal("1E+30"))))
        .isFalse();
  }

  /** Zero, amounts ending in zeros (whose stripped scale is lower), and ordinary ones. */
  private static long amount(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextLong(1, 1_000) * 1_000;
      case 2 -> random.nextLong(1, Long.MAX_VALUE / 1_000);
      default -> random.nextLong(1, 10_000_000);
    };
  }
}
