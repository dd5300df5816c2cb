package io.agentledger.analyzer.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.store.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateDetectorTest {

  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);

  private final Random random = new Random(3);
  private final MemoryRunStore store = new MemoryRunStore();
  private final RateDetector detector = new RateDetector(DetectionSettings.defaults());
  private int n;

  /** 20 runs an hour at mid-day, 5 at night, $0.10 each with noise; times {@code factor}. */
  private void hour(String agent, Instant hour, double volume, double costFactor) {
    double h = hour.atOffset(ZoneOffset.UTC).getHour();
    double expected = volume * (12.5 + 7.5 * Math.sin(2 * Math.PI * (h - 9) / 24));
    List<RunSummary> runs = new ArrayList<>();
    int count = (int) Math.round(expected + Math.sqrt(expected) * random.nextGaussian());
    for (int i = 0; i < count; i++) {
      runs.add(
          TestRuns.run(
              agent,
              hour.plusSeconds(random.nextInt(3600)),
              costFactor * 0.10 * Math.exp(0.2 * random.nextGaussian()),
              n++));
    }
    store.add(runs);
  }

  private List<Observation> judge(Instant hour) {
    RunWindow window = new RunWindow("p");
    Instant now = hour.plus(Duration.ofMinutes(70));
    window.refresh(store, now, WEEK, DetectionCycle.LATENESS);
    return detector.detect(window, hour, now.minus(WEEK));
  }

  @Test
  void aSeasonalSeries_staysInItsBand_hourAfterHour() {
    Instant t = START;
    for (; t.isBefore(START.plus(Duration.ofDays(8))); t = t.plusSeconds(3600)) {
      hour("writer", t, 1, 1);
    }
    int anomalous = 0;
    for (Instant h = START.plus(WEEK); h.isBefore(t); h = h.plusSeconds(3600)) {
      anomalous += (int) judge(h).stream().filter(Observation::anomalous).count();
    }
    assertThat(anomalous).isZero();
  }

  @Test
  void twoHoursOfQuadrupledSpend_areAnomalous_oneHourIsNotYet() {
    Instant t = START;
    for (; t.isBefore(START.plus(WEEK).plus(Duration.ofHours(12))); t = t.plusSeconds(3600)) {
      hour("writer", t, 1, 1);
    }
    Instant first = t;
    hour("writer", first, 1, 4);
    assertThat(judge(first)).noneMatch(Observation::anomalous);

    Instant second = first.plusSeconds(3600);
    hour("writer", second, 1, 4);
    List<Observation> found = judge(second);

    assertThat(found)
        .filteredOn(Observation::anomalous)
        .extracting(Observation::subject)
        .containsExactlyInAnyOrder(Map.of("agent", "writer"), Map.of("model", "gpt-4o"));
    assertThat(found)
        .filteredOn(o -> o.anomalous() && o.subject().containsKey("agent"))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.subject()).isEqualTo(Map.of("agent", "writer"));
              assertThat(o.metric()).isEqualTo(RateDetector.SPEND);
              assertThat(o.observed()).isGreaterThan(o.expected().high());
              assertThat(o.firstAt()).isEqualTo(first);
              assertThat(o.lastAt()).isEqualTo(second);
            });
  }

  @Test
  void aSparseSeries_isNotJudged() {
    Instant t = START;
    for (; t.isBefore(START.plus(WEEK)); t = t.plusSeconds(3600)) {
      if (random.nextInt(4) == 0) {
        hour("rare", t, 0.1, 1);
      }
    }
    hour("rare", t, 5, 10);
    hour("rare", t.plusSeconds(3600), 5, 10);
    assertThat(judge(t.plusSeconds(3600)))
        .filteredOn(o -> o.subject().containsValue("rare"))
        .isEmpty();
  }

  @Test
  void aWindowKeptFromCycleToCycle_judgesLikeOneReadAfresh() {
    // Hour by hour, runs arriving after the cycle that could have read them, a spend spike late:
    // the kept window sums only the hours that changed, and must judge exactly as a fresh one.
    RunWindow kept = new RunWindow("p");
    RateDetector keptDetector = new RateDetector(DetectionSettings.defaults());
    Instant spike = START.plus(WEEK).plus(Duration.ofHours(12));
    int anomalous = 0;
    for (Instant t = START; t.isBefore(spike.plus(Duration.ofHours(4))); t = t.plusSeconds(3600)) {
      hour("writer", t, 1, t.isBefore(spike) ? 1 : 4);
      hour("reader", t, 0.5, 1);
      Instant now = t.plus(Duration.ofMinutes(70));
      kept.refresh(store, now, WEEK, DetectionCycle.LATENESS);
      List<Observation> incremental = keptDetector.detect(kept, t, now.minus(WEEK));
      List<Observation> afresh = judge(t);
      assertThat(incremental.stream().map(RateDetectorTest::describe).sorted().toList())
          .isEqualTo(afresh.stream().map(RateDetectorTest::describe).sorted().toList());
      anomalous += (int) incremental.stream().filter(Observation::anomalous).count();
    }
    assertThat(anomalous).isPositive();
  }

  private static String describe(Observation o) {
    return String.format(
        java.util.Locale.ROOT,
        "%s %s %s %s %.9g [%.9g, %.9g] %.9g %s %s %s %s %s",
        o.kind(),
        o.subject(),
        o.metric(),
        o.anomalous(),
        o.observed(),
        o.expected().low(),
        o.expected().high(),
        o.score(),
        o.severity(),
        o.firstAt(),
        o.lastAt(),
        o.exampleTraceIds(),
        o.detail());
  }
}
