package io.agentledger.store.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogHistogramTest {

  @Test
  void quantiles_areWithinFourAndAHalfPercent_ofTheExactNearestRank() {
    Random random = new Random(7);
    double[] values = new double[20_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(random.nextGaussian() * 1.5 - 3); // lognormal: dollars of a run
    }
    LogHistogram h = LogHistogram.of(values);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double q : new double[] {0.01, 0.5, 0.9, 0.95, 0.99}) {
      double exact = sorted[(int) Math.ceil(q * sorted.length) - 1];
      assertThat(h.quantile(q)).as("q=%s", q).isCloseTo(exact, within(exact * 0.045));
    }
  }

  @Test
  void mergedHistograms_equalTheHistogramOfAllValues() {
    LogHistogram a = LogHistogram.of(0.1, 0.2, 3.0);
    LogHistogram b = LogHistogram.of(0, 7.5, 0.2);

    assertThat(a.merge(b)).isEqualTo(LogHistogram.of(0.1, 0.2, 3.0, 0, 7.5, 0.2));
    assertThat(a.merge(LogHistogram.EMPTY)).isEqualTo(a);
    assertThat(LogHistogram.EMPTY.merge(b)).isEqualTo(b);
  }

  @Test
  void aSingleValue_isExact_andZeroHasItsOwnBucket() {
    assertThat(LogHistogram.of(0.0123, 0.0123, 0.0123).quantile(0.95)).isEqualTo(0.0123);
    assertThat(LogHistogram.of(0, 0, 0, 10).quantile(0.5)).isZero();
    assertThat(LogHistogram.of(0, 0, 0, 10).quantile(1)).isEqualTo(10);
    assertThat(LogHistogram.EMPTY.quantile(0.95)).isZero();
    // Bucket edges: 1 starts bucket 0, 2 starts bucket 8 (eight per doubling).
    assertThat(LogHistogram.bucketOf(1)).isZero();
    assertThat(LogHistogram.bucketOf(2)).isEqualTo(8);
    assertThat(LogHistogram.bucketOf(1.99)).isEqualTo(7);
    assertThat(LogHistogram.bucketOf(0.5)).isEqualTo(-8);
  }
}
