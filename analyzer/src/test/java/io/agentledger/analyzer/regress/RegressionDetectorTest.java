package io.agentledger.analyzer.regress;

import static io.agentledger.analyzer.regress.SyntheticRuns.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentledger.store.Regression;
import io.agentledger.store.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionDetectorTest {

  private static final Instant NOW = T0.plus(Duration.ofDays(2));
  private static final Instant LATER = T0.plus(Duration.ofHours(6));

  private final RegressionDetector detector = new RegressionDetector(RegressionConfig.defaults());

  @Test
  void thirtyPercentSlowerVersion_isALatencyRegression_only() {
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(1).runs("1.0", T0, 200));
    runs.addAll(new SyntheticRuns(2).latencyMs(2600).runs("1.1", LATER, 200));

    List<Regression> found = detector.detectRuns("p", runs, NOW);

    assertThat(found)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(Regression.VERSION);
              assertThat(r.agent()).isEqualTo("planner");
              assertThat(r.metric()).isEqualTo("durationMs");
              assertThat(r.direction()).isEqualTo(Regression.WORSE);
              assertThat(r.before().version()).isEqualTo("1.0");
              assertThat(r.before().runs()).isEqualTo(200);
              assertThat(r.before().median()).isCloseTo(2000, within(150.0));
              assertThat(r.before().from()).isEqualTo(T0);
              assertThat(r.after().version()).isEqualTo("1.1");
              assertThat(r.after().from()).isEqualTo(LATER);
              assertThat(r.after().median()).isCloseTo(2600, within(200.0));
              assertThat(r.effect()).isCloseTo(0.3, within(0.1));
              assertThat(r.effectLow()).isLessThan(r.effect()).isGreaterThan(0.1);
              assertThat(r.effectHigh()).isGreaterThan(r.effect());
              assertThat(r.pValue()).isLessThan(0.001);
              assertThat(r.detectedAt()).isEqualTo(NOW);
              assertThat(r.exampleTraceIds()).hasSize(RegressionDetector.EXAMPLES);
              // The examples are the slowest runs of the new version.
              long slowest =
                  runs.stream()
                      .filter(x -> x.agentVersion().equals("1.1"))
                      .mapToLong(RunSummary::durationMs)
                      .max()
                      .orElseThrow();
              assertThat(runs.stream().filter(x -> x.traceId().equals(r.exampleTraceIds().get(0))))
                  .singleElement()
                  .extracting(RunSummary::durationMs)
                  .isEqualTo(slowest);
            });
  }

  @Test
  void cheaperVersion_isReportedAsBetter() {
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(3).runs("2.0", T0, 150));
    runs.addAll(new SyntheticRuns(4).costUsd(0.014).runs("2.1", LATER, 150));

    List<Regression> found = detector.detectRuns("p", runs, NOW);

    assertThat(found)
        .extracting(Regression::metric)
        .contains("costUsd")
        .doesNotContain("durationMs");
    Regression cost = found.stream().filter(r -> r.metric().equals("costUsd")).findFirst().get();
    assertThat(cost.direction()).isEqualTo(Regression.BETTER);
    assertThat(cost.effect()).isCloseTo(-0.3, within(0.1));
    assertThat(cost.effectHigh()).isNegative();
  }

  @Test
  void moreFailures_isAnErrorRateRegression() {
    List<RunSummary> runs =
        new ArrayList<>(new SyntheticRuns(5).failureRate(0.02).runs("1", T0, 300));
    runs.addAll(new SyntheticRuns(6).failureRate(0.15).runs("2", LATER, 300));

    Regression r =
        detector.detectRuns("p", runs, NOW).stream()
            .filter(x -> x.metric().equals("errorRate"))
            .findFirst()
            .orElseThrow();

    assertThat(r.direction()).isEqualTo(Regression.WORSE);
    assertThat(r.before().median()).isCloseTo(0.02, within(0.02));
    assertThat(r.after().median()).isCloseTo(0.15, within(0.04));
    assertThat(r.effect()).isGreaterThan(2);
  }

  @Test
  void aVersionWithTooFewRuns_isNotCompared_andEmptyVersionsAreIgnored() {
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(1).runs("1.0", T0, 200));
    runs.addAll(new SyntheticRuns(2).latencyMs(4000).runs("1.1", LATER, 29));
    runs.addAll(new SyntheticRuns(7).latencyMs(4000).runs("", LATER, 200));

    assertThat(detector.detectRuns("p", runs, NOW)).isEmpty();
  }

  @Test
  void numberedVersions_areComparedInNumberOrder_evenWhenTheNewOneRanFirst() {
    // A canary: 2.0 took traffic a little before 1.0's first run of the range.
    List<RunSummary> runs =
        new ArrayList<>(new SyntheticRuns(2).latencyMs(2600).runs("2.0", T0, 200));
    runs.addAll(new SyntheticRuns(1).runs("1.0", T0.plus(Duration.ofMinutes(1)), 200));

    assertThat(detector.detectRuns("p", runs, NOW))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.before().version()).isEqualTo("1.0");
              assertThat(r.after().version()).isEqualTo("2.0");
              assertThat(r.direction()).isEqualTo("worse");
            });
  }

  @Test
  void previousVersion_isTheOneFirstSeenBefore_notTheLexicallySmaller() {
    // 1.10 ships after 1.9; 1.2-hotfix has too few runs and is skipped over.
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(1).runs("1.9", T0, 200));
    runs.addAll(new SyntheticRuns(8).runs("1.2-hotfix", T0.plus(Duration.ofHours(4)), 10));
    runs.addAll(new SyntheticRuns(2).latencyMs(2600).runs("1.10", LATER, 200));

    assertThat(detector.detectRuns("p", runs, NOW))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.before().version()).isEqualTo("1.9");
              assertThat(r.after().version()).isEqualTo("1.10");
            });
  }

  @Test
  void aModelSilentlySlowerMidVersion_isAChangePoint() {
    Instant switchAt = T0.plus(Duration.ofMinutes(250));
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(11).runs("3.0", T0, 250));
    runs.addAll(new SyntheticRuns(12).latencyMs(2800).runs("3.0", switchAt, 250));

    List<Regression> found = detector.detectRuns("p", runs, NOW);

    assertThat(found)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(Regression.CHANGE_POINT);
              assertThat(r.metric()).isEqualTo("durationMs");
              assertThat(r.direction()).isEqualTo(Regression.WORSE);
              assertThat(r.before().version()).isEqualTo("3.0");
              assertThat(r.after().version()).isEqualTo("3.0");
              assertThat(r.before().from()).isEqualTo(T0);
              assertThat(Duration.between(switchAt, r.after().from()).abs())
                  .isLessThanOrEqualTo(Duration.ofMinutes(20));
              assertThat(r.effect()).isCloseTo(0.4, within(0.15));
              assertThat(r.pValue()).isLessThanOrEqualTo(0.05);
            });
  }

  @Test
  void sameRuns_giveTheSameRegressions_withStableIds() {
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(1).runs("1.0", T0, 200));
    runs.addAll(new SyntheticRuns(2).latencyMs(2600).runs("1.1", LATER, 200));

    List<Regression> first = detector.detectRuns("p", runs, NOW);
    List<Regression> again = detector.detectRuns("p", runs, NOW);

    assertThat(again).isEqualTo(first);
    assertThat(first.get(0).id())
        .isEqualTo(
            RegressionDetector.id("p", "version", "planner", RunMetric.DURATION_MS, "1.0", "1.1"))
        .isNotEqualTo(
            RegressionDetector.id("q", "version", "planner", RunMetric.DURATION_MS, "1.0", "1.1"));
  }

  @Test
  void unchangedVersions_areRarelyFlagged() {
    int flagged = 0;
    for (int i = 0; i < 20; i++) {
      List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(100 + i).runs("a", T0, 100));
      runs.addAll(new SyntheticRuns(200 + i).runs("b", LATER, 100));
      if (!detector.detectRuns("p", runs, NOW).isEmpty()) {
        flagged++;
      }
    }
    assertThat(flagged).isLessThanOrEqualTo(2);
  }

  @Test
  void aBurstOfRunsEndingTogether_isNoChangePoint() {
    // Each started its own duration before the end: in start order, longest first.
    List<RunSummary> burst = new SyntheticRuns(21).spread(0.8).burst("1.0", LATER, 300);

    assertThat(detector.detectRuns("p", burst, NOW)).isEmpty();
  }

  @Test
  void runsStillGoing_atTheRightEdge_areNoChangePoint() {
    // A run every 200 ms for 3 min, mostly 2 to 20 s long; the cycle runs while the runs of
    // the last half minute still go (only their short ones are stored).
    Instant start = NOW.minus(Duration.ofMinutes(3));
    List<RunSummary> seen =
        new SyntheticRuns(22)
            .latencyMs(6000)
            .spread(0.8)
            .spacing(Duration.ofMillis(200))
            .endedBy("1.0", start, 900, NOW);

    assertThat(detector.detectRuns("p", seen, NOW)).isEmpty();
  }

  @Test
  void aModelSlowerMidVersion_isStillAChangePoint_inEndOrder() {
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(23).runs("1.0", T0, 150));
    runs.addAll(
        new SyntheticRuns(24).latencyMs(3000).runs("1.0", T0.plus(Duration.ofMinutes(150)), 150));

    assertThat(detector.detectRuns("p", runs, NOW))
        .anySatisfy(
            r -> {
              assertThat(r.kind()).isEqualTo(Regression.CHANGE_POINT);
              assertThat(r.metric()).isEqualTo("durationMs");
              assertThat(r.direction()).isEqualTo(Regression.WORSE);
            });
  }
}
