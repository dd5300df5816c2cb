package io.agentledger.analyzer.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentledger.store.Anomaly;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustBandTest {

  private static final Floors NO_FLOORS = new Floors(0, 0);

  @Test
  void medianQuantileAndMad_areHandComputed() {
    double[] sorted = RobustStats.sorted(new double[] {9, 1, 3, 7, 5});
    assertThat(RobustStats.median(sorted)).isEqualTo(5);
    assertThat(RobustStats.median(new double[] {1, 2, 3, 4})).isEqualTo(2.5);
    assertThat(RobustStats.quantile(sorted, 0.25)).isEqualTo(3);
    assertThat(RobustStats.quantile(new double[] {1, 2, 3, 4}, 0.25)).isEqualTo(1.75);
    // |x - 5| = 4, 4, 2, 2, 0 → median 2
    assertThat(RobustStats.mad(sorted, 5)).isEqualTo(2);
  }

  @Test
  void linearBand_isMedianPlusMinusThresholdRobustSigmas() {
    RobustBand band = RobustBand.of(new double[] {1, 3, 5, 7, 9}, NO_FLOORS, 3.5, false);
    // sigma = 1.4826 × 2 = 2.9652; 3.5 sigmas = 10.3782
    assertThat(band.center()).isEqualTo(5);
    assertThat(band.high()).isCloseTo(15.3782, within(1e-9));
    assertThat(band.low()).isZero(); // clamped: metrics are never negative
    assertThat(band.anomalous(15.3)).isFalse();
    assertThat(band.anomalous(15.4)).isTrue();
    // modified z = 0.6745 × (x − median) / MAD
    assertThat(band.score(9)).isCloseTo(4 / 2.9652, within(1e-9));
  }

  @Test
  void zeroMad_fallsBackToTukeyFences() {
    // 6 of 10 identical: MAD 0. Q1 = 2, Q3 = 2.75 (type 7), IQR 0.75, fences 2 − 2.25 and 2.75 +
    // 2.25
    double[] values = {2, 2, 2, 2, 2, 2, 1, 3, 3, 4};
    RobustBand band = RobustBand.of(values, NO_FLOORS, 3.5, false);
    assertThat(RobustStats.mad(values, 2)).isZero();
    assertThat(band.high()).isCloseTo(5.0, within(1e-9));
    assertThat(band.low()).isZero();
    assertThat(band.anomalous(5.1)).isTrue();
    assertThat(band.anomalous(4.9)).isFalse();
  }

  @Test
  void constantBaseline_onlyTheFloorsMakeTheBand_andTheScoreIsThresholdAtItsEdge() {
    double[] steps = {4, 4, 4, 4, 4, 4, 4, 4};
    RobustBand band = RobustBand.of(steps, new Floors(0.25, 3), 3.5, false);
    assertThat(band.high()).isEqualTo(7);
    assertThat(band.low()).isEqualTo(1);
    assertThat(band.anomalous(7)).isFalse();
    assertThat(band.anomalous(8)).isTrue();
    assertThat(band.score(7)).isCloseTo(3.5, within(1e-9));
    assertThat(band.severity(band.score(12))).isEqualTo(Anomaly.CRITICAL);
  }

  @Test
  void floors_keepTinyCostsQuiet_butATripledRealCostIsAnomalous() {
    Floors cost = new Floors(0.25, 0.01);
    Random random = new Random(7);
    double[] tiny = lognormal(random, 200, 0.0001, 0.2);
    RobustBand tinyBand = RobustBand.of(tiny, cost, 3.5, true);
    assertThat(tinyBand.anomalous(0.0003)).as("$0.0001 → $0.0003 pages nobody").isFalse();

    double[] real = lognormal(random, 200, 0.20, 0.25);
    RobustBand realBand = RobustBand.of(real, cost, 3.5, true);
    assertThat(realBand.anomalous(0.60)).as("3× a $0.20 run").isTrue();
    assertThat(realBand.anomalous(0.25)).isFalse();
  }

  @Test
  void logScale_falsePositiveRate_onLogNormalNoise_isNearTheNormalTail() {
    Random random = new Random(42);
    Floors floors = new Floors(0.25, 0.01);
    double[] baseline = lognormal(random, 500, 0.20, 0.3);
    RobustBand band = RobustBand.of(baseline, floors, 3.5, true);
    int flagged = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      if (band.anomalous(0.20 * Math.exp(0.3 * random.nextGaussian()))) {
        flagged++;
      }
    }
    // Two-sided normal tail beyond 3.5 sigmas: 4.7e-4. The estimated band is a little off, so allow
    // up to three times that; a linear-scale band on this skewed noise flags several times more.
    assertThat((double) flagged / n).isLessThan(1.5e-3);
  }

  static double[] lognormal(Random random, int n, double median, double sigma) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = median * Math.exp(sigma * random.nextGaussian());
    }
    return out;
  }
}
