package io.agentledger.analyzer.anomaly;

import static io.agentledger.analyzer.anomaly.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.FindingStore;
import io.agentledger.store.RunSummary;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.TimeRange;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cycle end to end over runs in memory and anomalies in DuckDB, on an injected clock. */
class DetectionCycleTest {

  private static final Instant START = Instant.parse("2026-01-12T00:00:00Z");
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  private final TestClock clock = new TestClock(START);
  private final MemoryRunStore runs = new MemoryRunStore();
  private final Random random = new Random(11);
  private final List<String> transitions = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private SpanStore findings;
  private DetectionCycle cycle;
  private int n;

  @BeforeEach
  void setUp() {
    findings = DuckDbSpanStore.inMemory(clock);
    cycle = newCycle();
    // Three days of an agent running every 10 minutes at about $0.20 a run.
    for (int i = 0; i < 3 * 24 * 6; i++) {
      addRun("writer", normalCost(), List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"), Map.of());
    }
  }

  @AfterEach
  void tearDown() {
    findings.close();
  }

  private DetectionCycle newCycle() {
    return new DetectionCycle(
        runs,
        findings,
        () -> List.of("p"),
        clock,
        DetectionSettings.defaults(),
        (a, t) -> transitions.add(t + " " + a.kind() + " " + a.metric()),
        registry);
  }

  private double normalCost() {
    return 0.20 * Math.exp(0.2 * random.nextGaussian());
  }

  private RunSummary addRun(
      String agent, double cost, List<String> path, Map<String, String> behaviours) {
    RunSummary r = run(agent, clock.instant(), cost, n++, path, behaviours);
    runs.add(List.of(r));
    clock.advance(TEN_MINUTES);
    return r;
  }

  private List<Anomaly> anomalies() {
    return findings.anomalies(
        "p", AnomalyQuery.all(new TimeRange(START, clock.instant().plusSeconds(1)), 100));
  }

  @Test
  void cleanRuns_raiseNothing() {
    DetectionCycle.Result result = cycle.runOnce();
    assertThat(result.series()).isEqualTo(1);
    assertThat(result.firing()).isEmpty();
    assertThat(anomalies()).isEmpty();
  }

  @Test
  void aTripledCost_firesWithinOneCycle_andResolvesWhenRunsAreNormalAgain() {
    cycle.runOnce();
    List<String> spiked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      spiked.add(addRun("writer", 3 * normalCost(), List.of("llm:gpt-4o"), Map.of()).traceId());
    }

    DetectionCycle.Result result = cycle.runOnce();

    Anomaly spike =
        result.firing().stream()
            .filter(a -> a.kind().equals("run_outlier") && a.metric().equals("cost_usd"))
            .findFirst()
            .orElseThrow();
    assertThat(spike.subject())
        .containsEntry("agent", "writer")
        .containsEntry("agentVersion", "1.0")
        .containsEntry("model", "gpt-4o");
    assertThat(spike.observed()).isGreaterThan(spike.expected().high());
    assertThat(spike.expected().low()).isLessThan(0.2).isGreaterThan(0);
    assertThat(spike.expected().high()).isGreaterThan(0.2).isLessThan(0.5);
    assertThat(spike.score()).isGreaterThan(3.5);
    assertThat(spike.exampleTraceIds()).isNotEmpty().allMatch(spiked::contains);
    assertThat(spike.detail()).containsEntry("direction", "above");
    assertThat(transitions).contains("FIRING run_outlier cost_usd");
    assertThat(
            registry
                .get("agentledger.analyzer.anomalies.active")
                .tag("kind", "run_outlier")
                .gauges())
        .anySatisfy(g -> assertThat(g.value()).isPositive());

    for (int i = 0; i < 5; i++) {
      addRun("writer", normalCost(), List.of("llm:gpt-4o"), Map.of());
    }
    cycle.runOnce();

    assertThat(anomalies())
        .filteredOn(a -> a.id().equals(spike.id()))
        .singleElement()
        .satisfies(a -> assertThat(a.status()).isEqualTo(Anomaly.RESOLVED));
    assertThat(transitions).contains("RESOLVED run_outlier cost_usd");
  }

  @Test
  void aCrashBetweenPublishAndSave_deliversTheTransitionOnce() {
    DuckDbSpanStore outbox = (DuckDbSpanStore) findings;
    Notifications notifications =
        new Notifications(outbox, List.of("webhook"), new SimpleMeterRegistry());
    AtomicInteger saves = new AtomicInteger();
    FindingStore crashing =
        new FindingStore() {
          @Override
          public void saveAnomalies(List<Anomaly> anomalies) {
            if (saves.incrementAndGet() > 1) {
              throw new IllegalStateException("crash before the save");
            }
            findings.saveAnomalies(anomalies);
          }

          @Override
          public List<Anomaly> anomalies(String project, AnomalyQuery query) {
            return findings.anomalies(project, query);
          }
        };
    DetectionCycle failing =
        new DetectionCycle(
            runs,
            crashing,
            () -> List.of("p"),
            clock,
            DetectionSettings.defaults(),
            new AnomalyNotifier(notifications),
            registry);
    failing.runOnce(); // the baseline: nothing to save but an empty list
    for (int i = 0; i < 3; i++) {
      addRun("writer", 3 * normalCost(), List.of("llm:gpt-4o"), Map.of());
    }

    assertThatThrownBy(failing::runOnce).hasMessageContaining("crash");
    TimeRange ever = new TimeRange(START, clock.instant().plusSeconds(1));
    assertThat(outbox.notifications("p", ever))
        .singleElement()
        .satisfies(n -> assertThat(n.kind()).isEqualTo("run_outlier"));
    assertThat(anomalies()).isEmpty();

    // The same instance again (its window forgotten), then a restarted one: one notification.
    assertThatThrownBy(failing::runOnce).hasMessageContaining("crash");
    clock.advance(Duration.ofMinutes(1));
    DetectionCycle restarted =
        new DetectionCycle(
            runs,
            findings,
            () -> List.of("p"),
            clock,
            DetectionSettings.defaults(),
            new AnomalyNotifier(notifications),
            registry);
    restarted.runOnce();
    assertThat(anomalies())
        .filteredOn(a -> a.kind().equals("run_outlier"))
        .singleElement()
        .satisfies(a -> assertThat(a.status()).isEqualTo(Anomaly.FIRING));
    assertThat(outbox.notifications("p", ever)).hasSize(1);
    assertThat(outbox.pendingDeliveries("webhook", 10)).hasSize(1);
  }

  @Test
  void aToolLoop_firesWithItsWastedCost_andResolvesWhenItStops() {
    cycle.runOnce();
    Map<String, String> loop =
        Map.of(
            "tool_loop", "search",
            "tool_loop.calls", "4",
            "tool_loop.wasted_tokens", "3600",
            "tool_loop.wasted_cost_usd", "0.036",
            "tool_loop.loops", "1");
    RunSummary looping = addRun("writer", normalCost(), List.of("tool:search ×4"), loop);

    cycle.runOnce();

    Anomaly a =
        anomalies().stream().filter(x -> x.kind().equals("tool_loop")).findFirst().orElseThrow();
    assertThat(a.status()).isEqualTo(Anomaly.FIRING);
    assertThat(a.subject()).containsEntry("tool", "search").containsEntry("agent", "writer");
    assertThat(a.observed()).isEqualTo(4);
    assertThat(a.detail())
        .containsEntry("wastedCostUsd", "0.036")
        .containsEntry("wastedTokens", "3600");
    assertThat(a.exampleTraceIds()).containsExactly(looping.traceId());
    assertThat(a.firstSeen()).isEqualTo(looping.startTime());

    for (int i = 0; i < 3; i++) {
      addRun("writer", normalCost(), List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"), Map.of());
    }
    cycle.runOnce();

    assertThat(anomalies())
        .filteredOn(x -> x.kind().equals("tool_loop"))
        .singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(Anomaly.RESOLVED));
  }

  @Test
  void aPingPong_fires_andResolvesWhenItStops() {
    cycle.runOnce();
    addRun(
        "writer",
        normalCost(),
        List.of("llm:gpt-4o"),
        Map.of("ping_pong", "writer↔critic", "ping_pong.handoffs", "5"));
    cycle.runOnce();
    assertThat(anomalies())
        .filteredOn(x -> x.kind().equals("ping_pong"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.status()).isEqualTo(Anomaly.FIRING);
              assertThat(x.subject()).containsEntry("agents", "writer↔critic");
              assertThat(x.observed()).isEqualTo(5);
            });
    for (int i = 0; i < 3; i++) {
      addRun("writer", normalCost(), List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"), Map.of());
    }
    cycle.runOnce();
    assertThat(anomalies())
        .filteredOn(x -> x.kind().equals("ping_pong"))
        .singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(Anomaly.RESOLVED));
  }

  @Test
  void aTransitionNeverSeenInTheVersionsBaseline_fires() {
    cycle.runOnce();
    addRun("writer", normalCost(), List.of("llm:gpt-4o", "tool:delete_file"), Map.of());
    cycle.runOnce();
    assertThat(anomalies())
        .filteredOn(x -> x.kind().equals("new_transition"))
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.subject())
                    .containsEntry("transition", "llm:gpt-4o → tool:delete_file"));
  }

  @Test
  void aRecurrenceWithinTheCooldown_reopensTheSameEpisode() {
    cycle.runOnce();
    Map<String, String> loop = Map.of("tool_loop", "search", "tool_loop.calls", "3");
    addRun("writer", normalCost(), List.of("tool:search ×3"), loop);
    cycle.runOnce();
    for (int i = 0; i < 3; i++) {
      addRun("writer", normalCost(), List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"), Map.of());
    }
    cycle.runOnce();
    addRun("writer", normalCost(), List.of("tool:search ×3"), loop);
    cycle.runOnce();

    assertThat(anomalies())
        .filteredOn(x -> x.kind().equals("tool_loop"))
        .singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(Anomaly.FIRING));
    assertThat(transitions)
        .filteredOn(t -> t.contains("tool_loop"))
        .containsExactly(
            "FIRING tool_loop identical_tool_calls",
            "RESOLVED tool_loop identical_tool_calls",
            "REOPENED tool_loop identical_tool_calls");
  }

  @Test
  void twoAnalyzers_raiseEachFindingOnce() {
    DetectionCycle other = newCycle();
    cycle.runOnce();
    other.runOnce();
    Map<String, String> loop = Map.of("tool_loop", "search", "tool_loop.calls", "3");
    addRun("writer", normalCost(), List.of("tool:search ×3"), loop);

    cycle.runOnce();
    other.runOnce();

    assertThat(anomalies()).filteredOn(x -> x.kind().equals("tool_loop")).hasSize(1);
  }
}
