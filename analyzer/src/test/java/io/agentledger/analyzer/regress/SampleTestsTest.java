package io.agentledger.analyzer.regress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class SampleTestsTest {

  @Test
  void mannWhitney_separatedSamples_matchesTheNormalApproximationWithContinuityCorrection() {
    // U = 0, n1 = n2 = 5: z = (12.5 - 0.5) / sqrt(25 * 11 / 12) = 2.5067, p = 0.01219
    // (R: wilcox.test(1:5, 6:10, exact = FALSE, correct = TRUE)$p.value).
    double p = SampleTests.mannWhitney(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});
    assertThat(p).isCloseTo(0.01219, within(1e-4));
  }

  @Test
  void mannWhitney_correctsForTies_soDiscreteMetricsKeepTheirPower() {
    // Steps: mostly 3 before, mostly 4 after; commons-math3 leaves out the tie correction.
    double[] before = new double[60];
    double[] after = new double[60];
    for (int i = 0; i < 60; i++) {
      before[i] = i < 40 ? 3 : 4;
      after[i] = i < 25 ? 3 : 4;
    }
    double corrected = SampleTests.mannWhitney(before, after);
    double uncorrected = new MannWhitneyUTest().mannWhitneyUTest(before, after);
    assertThat(corrected).isLessThan(uncorrected).isLessThan(0.01);
  }

  @Test
  void mannWhitney_equalValues_isOne() {
    assertThat(SampleTests.mannWhitney(new double[] {2, 2, 2}, new double[] {2, 2})).isEqualTo(1.0);
  }

  @Test
  void kolmogorovSmirnov_seesAChangeOfSpreadThatMannWhitneyMisses() {
    Random rng = new Random(7);
    double[] narrow = new double[300];
    double[] wide = new double[300];
    for (int i = 0; i < 300; i++) {
      narrow[i] = 100 + rng.nextGaussian();
      wide[i] = 100 + 4 * rng.nextGaussian();
    }
    assertThat(SampleTests.mannWhitney(narrow, wide)).isGreaterThan(0.05);
    assertThat(SampleTests.kolmogorovSmirnov(narrow, wide)).isLessThan(1e-6);
    assertThat(SampleTests.shiftOrShape(narrow, wide)).isLessThan(1e-5);
  }

  @Test
  void fisherExact_ladyTastingTea() {
    // [[3, 1], [1, 3]]: two-sided p = 34/70 = 0.4857 (Fisher 1935).
    assertThat(SampleTests.fisherExact(3, 4, 1, 4)).isCloseTo(34.0 / 70, within(1e-9));
    // [[0, 100], [10, 90]]: p = 2 * C(100,10)/C(200,10) summed over the tables as unlikely.
    assertThat(SampleTests.fisherExact(0, 100, 10, 100)).isLessThan(0.002);
    assertThat(SampleTests.fisherExact(0, 50, 0, 50)).isEqualTo(1.0);
  }

  @Test
  void benjaminiHochberg_adjustsInStepUpOrder() {
    // Sorted: 0.005, 0.01, 0.03, 0.04 with m = 4: 0.02, 0.02, 0.04, 0.04.
    double[] adjusted = BenjaminiHochberg.adjust(new double[] {0.01, 0.04, 0.03, 0.005});
    assertThat(adjusted).containsExactly(new double[] {0.02, 0.04, 0.04, 0.02}, within(1e-12));
    assertThat(BenjaminiHochberg.adjust(new double[] {0.9, 0.8})).containsExactly(0.9, 0.9);
    assertThat(BenjaminiHochberg.adjust(new double[0])).isEmpty();
  }
}
