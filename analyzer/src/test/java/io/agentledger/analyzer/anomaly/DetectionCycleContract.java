package io.agentledger.analyzer.anomaly;

import static io.agentledger.analyzer.anomaly.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.RunSummary;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.TimeRange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The detection cycle end to end on a real store: runs written through {@code RunStore}, read back
 * by the cycle, anomalies saved and listed through {@code FindingStore} with the API's filters.
 */
abstract class DetectionCycleContract {

  private static final Instant START = Instant.parse("2026-01-12T00:00:00Z");
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  private final TestClock clock = new TestClock(START);
  private final Random random = new Random(5);
  private final List<String> transitions = new ArrayList<>();
  private SpanStore store;
  private int n;

  protected abstract SpanStore openStore(TestClock clock) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = openStore(clock);
    List<RunSummary> baseline = new ArrayList<>();
    for (int i = 0; i < 3 * 24 * 6; i++) {
      baseline.add(next("writer", 1, Map.of()));
    }
    write(baseline);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private DetectionCycle cycle() {
    return new DetectionCycle(
        store,
        store,
        () -> List.of("p"),
        clock,
        DetectionSettings.defaults(),
        (a, t) -> transitions.add(t + " " + a.kind()),
        new SimpleMeterRegistry());
  }

  private RunSummary next(String agent, double factor, Map<String, String> behaviours) {
    RunSummary r =
        run(
            agent,
            clock.instant(),
            factor * 0.20 * Math.exp(0.2 * random.nextGaussian()),
            n++,
            List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"),
            behaviours);
    clock.advance(TEN_MINUTES);
    return r;
  }

  private void write(List<RunSummary> runs) {
    store.replaceRuns("p", runs.stream().map(RunSummary::traceId).toList(), runs);
  }

  private List<Anomaly> list(String status, String kind, String agent) {
    return store.anomalies(
        "p",
        new AnomalyQuery(
            new TimeRange(START, clock.instant().plusSeconds(1)),
            status,
            kind,
            agent,
            100,
            Optional.empty()));
  }

  @Test
  void aCostSpikeAndAToolLoop_fireOnceAcrossTwoAnalyzers_andResolve() {
    DetectionCycle one = cycle();
    DetectionCycle two = cycle();
    assertThat(one.runOnce().firing()).isEmpty();
    two.runOnce();

    write(
        List.of(
            next("writer", 3, Map.of()),
            next("writer", 3, Map.of()),
            next(
                "writer",
                3,
                Map.of(
                    "tool_loop", "search",
                    "tool_loop.calls", "4",
                    "tool_loop.wasted_cost_usd", "0.036"))));
    one.runOnce();
    two.runOnce();

    assertThat(list(Anomaly.FIRING, "run_outlier", "writer"))
        .filteredOn(a -> a.metric().equals("cost_usd"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.observed()).isGreaterThan(a.expected().high());
              assertThat(a.exampleTraceIds()).isNotEmpty();
            });
    assertThat(list(Anomaly.FIRING, "tool_loop", ""))
        .singleElement()
        .satisfies(a -> assertThat(a.detail()).containsEntry("wastedCostUsd", "0.036"));
    assertThat(list("", "", "planner")).isEmpty();

    List<RunSummary> calm = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calm.add(next("writer", 1, Map.of()));
    }
    write(calm);
    one.runOnce();
    two.runOnce();

    assertThat(list(Anomaly.FIRING, "", "")).isEmpty();
    assertThat(list(Anomaly.RESOLVED, "", "writer"))
        .extracting(Anomaly::kind)
        .containsExactlyInAnyOrder("run_outlier", "tool_loop");
  }
}
