package io.agentledger.analyzer.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The combined score of consecutive runs ({@link RunOutlierDetector#longestCombined}), and the
 * baseline a series is judged against.
 */
class RunOutlierDetectorTest {

  private static final double THRESHOLD = 3.5;
  private static final double COMBINED = RunOutlierDetector.COMBINED * THRESHOLD; // 5.83

  private static int longest(double... scores) {
    return RunOutlierDetector.longestCombined(scores, 0, scores.length - 1, 1, THRESHOLD, COMBINED);
  }

  @Test
  void twoRunsJustBeyondTheBand_areNotEnough_twoClearlyBeyondAre() {
    // What the clean week's false anomalies looked like: two runs at 3.6–4.1 among five.
    assertThat(longest(0.1, -0.4, 3.9, 0.3, 4.1)).isZero();
    assertThat(longest(0.1, -0.4, 0.2, 4.1, 4.2)).isEqualTo(2);
  }

  @Test
  void aWholeShiftedSeries_isFound_thoughEachRunIsInsideTheBand() {
    assertThat(longest(2.7, 2.8, 2.7, 2.9, 2.8)).isEqualTo(5);
    assertThat(longest(1.5, 1.8, 1.2, 1.6, 1.7)).isZero();
  }

  @Test
  void oneRunFarOut_neverCarriesAWindowAlone() {
    // Capped at twice the threshold (where it is critical by itself): 7 + 0.5 over √2 is 5.3.
    assertThat(longest(0, 0, 0, 0.5, 40)).isZero();
  }

  @Test
  void runsOnTheOtherSide_countAgainst_andTheLongestWindowReachingItIsReported() {
    assertThat(longest(-3.0, 3.9, 4.0, 3.8, 3.9)).isEqualTo(4);
    assertThat(
            RunOutlierDetector.longestCombined(
                new double[] {0, -4.2, -4.3}, 0, 2, -1, THRESHOLD, COMBINED))
        .isEqualTo(2);
  }

  @Test
  void aSeriesYoungerThanAnHour_isJudgedAgainstItsRunsBeforeTheJudgedOnes() {
    // Like the demo: 200 runs, then 5 runs costing five times as much, all within one hour (none
    // before the hour boundary the baseline would otherwise end at).
    long start = 10 * 3_600_000_000_000L + 60_000_000_000L; // 10:01
    List<RunPoint> runs = new ArrayList<>();
    for (int i = 0; i < 205; i++) {
      double cost = i < 200 ? 0.007 + 0.001 * ((i * 7) % 5) / 4 : 0.035;
      double[] values = new double[RunMetric.values().length];
      values[RunMetric.COST_USD.ordinal()] = cost;
      runs.add(
          new RunPoint(
              "t" + i,
              "s" + i,
              start + i * 1_000_000_000L,
              values,
              false,
              "",
              List.of(),
              Map.of(),
              i));
    }
    SeriesKey series = new SeriesKey("researcher", "1.2", "demo-crew", "");
    RunOutlierDetector detector = new RunOutlierDetector(DetectionSettings.defaults());

    List<Observation> found = detector.detect("p", series, runs, 5);

    assertThat(found.stream().filter(Observation::anomalous).map(Observation::metric))
        .containsExactly("cost_usd");
    // The 200 ordinary runs alone are no anomaly.
    assertThat(detector.detect("p", series, runs.subList(0, 200), 5))
        .noneMatch(Observation::anomalous);
  }
}
