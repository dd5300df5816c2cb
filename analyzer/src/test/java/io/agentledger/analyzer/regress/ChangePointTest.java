package io.agentledger.analyzer.regress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import java.util.Random;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.junit.jupiter.api.Test;

class ChangePointTest {

  private static double[] series(long seed, int n, int changeAt, double factor) {
    Random rng = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = 2000 * (i >= changeAt ? factor : 1) * Math.exp(0.4 * rng.nextGaussian());
    }
    return out;
  }

  @Test
  void aStepMidSeries_isFoundNearWhereItHappened_andIsSignificant() {
    Optional<ChangePoint.Split> split = ChangePoint.find(series(1, 400, 230, 1.4), 30, 999, 7);

    assertThat(split).isPresent();
    assertThat(split.get().index()).isBetween(215, 245);
    assertThat(split.get().pValue()).isLessThanOrEqualTo(0.001);
  }

  @Test
  void noChange_isNotSignificant_andStopsEarly() {
    int significant = 0;
    for (long seed = 0; seed < 40; seed++) {
      ChangePoint.Split s =
          ChangePoint.find(series(seed, 300, 300, 1), 30, 999, seed).orElseThrow();
      if (s.pValue() <= 0.05) {
        significant++;
      }
    }
    // About 5 % of unchanged series fall under 0.05 by chance: 2 of 40 expected.
    assertThat(significant).isLessThanOrEqualTo(6);
  }

  @Test
  void tooShortOrConstant_hasNoSplit() {
    assertThat(ChangePoint.find(series(1, 59, 30, 2), 30, 99, 1)).isEmpty();
    assertThat(ChangePoint.find(new double[100], 30, 99, 1)).isEmpty();
  }

  @Test
  void incrementalStatistic_equalsTheDirectFormula() {
    double[] x = series(3, 80, 50, 1.5);
    ChangePoint.Split split = ChangePoint.find(x, 10, 19, 1).orElseThrow();

    double[] z = new NaturalRanking().rank(x);
    double bestQ = Double.NEGATIVE_INFINITY;
    int bestAt = -1;
    for (int t = 10; t <= z.length - 10; t++) {
      double q = direct(z, t);
      if (q > bestQ) {
        bestQ = q;
        bestAt = t;
      }
    }
    assertThat(split.index()).isEqualTo(bestAt);
    assertThat(split.statistic()).isCloseTo(bestQ, within(1e-6 * Math.abs(bestQ)));
  }

  /** Q(τ) straight from the definition, O(n²). */
  private static double direct(double[] z, int t) {
    int n = z.length;
    double between = 0;
    double left = 0;
    double right = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double d = Math.abs(z[i] - z[j]);
        if (j < t) {
          left += d;
        } else if (i >= t) {
          right += d;
        } else {
          between += d;
        }
      }
    }
    int m = t;
    int k = n - t;
    double e = 2 * between / (m * k) - left / (m * (m - 1) / 2.0) - right / (k * (k - 1) / 2.0);
    return (double) m * k / n * e;
  }
}
