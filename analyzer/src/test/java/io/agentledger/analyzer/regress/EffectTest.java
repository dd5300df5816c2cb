package io.agentledger.analyzer.regress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EffectTest {

  private static double[] logNormal(Random rng, int n, double median) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = median * Math.exp(0.4 * rng.nextGaussian());
    }
    return out;
  }

  @Test
  void thirtyPercentSlower_isAnEffectNearPointThree_withAnIntervalAroundIt() {
    Random rng = new Random(1);
    Effect e =
        Effect.estimate(logNormal(rng, 400, 1000), logNormal(rng, 400, 1300), false, 2000, 9);

    assertThat(e).isNotNull();
    assertThat(e.effect()).isCloseTo(0.3, within(0.08));
    assertThat(e.low()).isGreaterThan(0.1).isLessThan(e.effect());
    assertThat(e.high()).isGreaterThan(e.effect()).isLessThan(0.5);
    assertThat(e.beforeMedian()).isCloseTo(1000, within(80.0));
    assertThat(e.afterMedian()).isCloseTo(1300, within(100.0));
  }

  @Test
  void sameDistribution_hasAnIntervalAroundZero_andTheSameSeedGivesTheSameInterval() {
    Random rng = new Random(2);
    double[] a = logNormal(rng, 300, 50);
    double[] b = logNormal(rng, 300, 50);
    Effect e = Effect.estimate(a, b, false, 1000, 5);

    assertThat(e.low()).isNegative();
    assertThat(e.high()).isPositive();
    assertThat(Effect.estimate(a, b, false, 1000, 5)).isEqualTo(e);
  }

  @Test
  void medianOfAResample_isTheMedianOfTheDrawnValues() {
    // Without resampling the interval is the point; the medians are exact.
    Effect e = Effect.estimate(new double[] {1, 2, 3, 4}, new double[] {3, 3, 9}, false, 0, 1);
    assertThat(e).isEqualTo(new Effect(2.5, 3, 3 / 2.5 - 1, 3 / 2.5 - 1, 3 / 2.5 - 1));
  }

  @Test
  void failureFlags_compareSmoothedShares_soARiseFromNoFailuresIsFinite() {
    double[] before = new double[100];
    double[] after = new double[100];
    for (int i = 0; i < 10; i++) {
      after[i] = 1;
    }
    Effect e = Effect.estimate(before, after, true, 500, 3);

    assertThat(e.beforeMedian()).isEqualTo(0.0);
    assertThat(e.afterMedian()).isEqualTo(0.1);
    assertThat(e.effect()).isCloseTo((10.5 / 101) / (0.5 / 101) - 1, within(1e-9)); // 20
    assertThat(e.low()).isPositive();
    assertThat(Double.isFinite(e.high())).isTrue();
  }

  @Test
  void mostlyZeroBefore_comparesMeans_andAllZeroBefore_hasNoEffect() {
    double[] mostlyFree = {0, 0, 0, 0, 0, 0.1, 0.2, 0.3};
    double[] pricier = {0, 0, 0, 0, 0.2, 0.4, 0.6, 0.8};
    Effect e = Effect.estimate(mostlyFree, pricier, false, 0, 1);
    assertThat(e.effect()).isCloseTo(2.0 / 0.6 - 1, within(1e-9)); // means 0.25 vs 0.075

    assertThat(Effect.estimate(new double[] {0, 0, 0}, new double[] {1, 2, 3}, false, 100, 1))
        .isNull();
  }
}
