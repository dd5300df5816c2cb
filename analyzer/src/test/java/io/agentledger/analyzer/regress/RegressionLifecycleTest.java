package io.agentledger.analyzer.regress;

import static io.agentledger.analyzer.regress.SyntheticRuns.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.analyzer.regress.RegressionRunnerTest.MemoryRuns;
import io.agentledger.store.Notification;
import io.agentledger.store.Regression;
import io.agentledger.store.RegressionStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.TimeRange;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Regression episodes (firing, resolved, superseded) and their notifications, on a real DuckDB. */
class RegressionLifecycleTest {

  private final TestClock clock = new TestClock(T0.plus(Duration.ofDays(1)));
  private final DuckDbSpanStore store = DuckDbSpanStore.inMemory(clock);
  private final MemoryRuns runs = new MemoryRuns();
  private final RegressionConfig config =
      RegressionConfig.from(
          RegressionConfig.SETTINGS.load(Map.of("AGENTLEDGER_REGRESSION_LOOKBACK", "2d")));

  @AfterEach
  void close() {
    store.close();
  }

  private RegressionRunner runner(RegressionStore regressions) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return new RegressionRunner(
        runs,
        regressions,
        new Notifications(store, List.of("webhook"), registry),
        new RegressionDetector(config),
        () -> Set.of("p"),
        clock,
        registry);
  }

  private List<Notification> notifications() {
    return store.notifications("p", new TimeRange(Instant.EPOCH, T0.plus(Duration.ofDays(30))));
  }

  private List<Regression> regressions() {
    return store.regressions("p", new TimeRange(Instant.EPOCH, T0.plus(Duration.ofDays(30))), "");
  }

  /** 1.0 at 2 s, then 1.1 at 2.6 s: a latency regression between them. */
  private void slowerVersion() {
    runs.all.addAll(new SyntheticRuns(1).runs("1.0", T0, 200));
    runs.all.addAll(
        new SyntheticRuns(2).latencyMs(2600).runs("1.1", T0.plusSeconds(6 * 3600), 200));
  }

  @Test
  void firesOnce_staysFiringWhileFound_resolvesOnceAfterItIsNoLongerFound() {
    slowerVersion();
    RegressionRunner runner = runner(store);
    Instant first = clock.instant();

    assertThat(runner.runOnce()).isEqualTo(1);
    Regression firing = regressions().get(0);
    assertThat(firing.status()).isEqualTo(Regression.FIRING);
    assertThat(firing.detectedAt()).isEqualTo(first);
    assertThat(notifications())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.source()).isEqualTo("regression");
              assertThat(n.kind()).isEqualTo(Regression.VERSION);
              assertThat(n.status()).isEqualTo(Regression.FIRING);
              assertThat(n.findingId()).isEqualTo(firing.id());
              assertThat(n.labels())
                  .containsEntry("agent", "planner")
                  .containsEntry("metric", "durationMs")
                  .containsEntry("before_version", "1.0")
                  .containsEntry("after_version", "1.1");
              assertThat(n.severity()).isEqualTo("warning");
              assertThat(n.summary()).contains("from version 1.0 to 1.1", "worse");
            });

    clock.advance(Duration.ofMinutes(5));
    runner.runOnce();
    assertThat(regressions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(Regression.FIRING);
              assertThat(r.detectedAt()).isEqualTo(first);
              assertThat(r.lastSeen()).isEqualTo(clock.instant());
            });
    assertThat(notifications()).hasSize(1);

    // The runs leave the look-back: no cycle finds the regression any more.
    Instant lastSeen = clock.instant();
    clock.advance(Duration.ofDays(3));
    runner.runOnce();
    assertThat(regressions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(Regression.RESOLVED);
              assertThat(r.detectedAt()).isEqualTo(first);
              assertThat(r.lastSeen()).isEqualTo(lastSeen);
            });
    clock.advance(Duration.ofMinutes(5));
    runner.runOnce();
    assertThat(notifications())
        .extracting(Notification::status)
        .containsExactly(Regression.RESOLVED, Regression.FIRING);
    assertThat(notifications().get(0).summary()).contains("resolved: no longer found");
    assertThat(notifications().get(0).at()).isEqualTo(lastSeen.plus(Duration.ofDays(3)));
  }

  @Test
  void missedByACycle_staysFiringUntilResolveAfterHasPassed() {
    slowerVersion();
    runner(store).runOnce();
    Instant seen = regressions().get(0).lastSeen();

    runs.all.clear();
    RegressionRunner fresh = runner(store); // holds no runs: finds nothing
    clock.advance(config.resolveAfter().minusSeconds(1));
    fresh.runOnce();
    assertThat(regressions().get(0).firing()).isTrue();
    assertThat(regressions().get(0).lastSeen()).isEqualTo(seen);
    assertThat(notifications()).hasSize(1);

    clock.advance(Duration.ofSeconds(2));
    fresh.runOnce();
    assertThat(regressions().get(0).firing()).isFalse();
    assertThat(notifications()).hasSize(2);
  }

  @Test
  void aNewerVersion_supersedesTheRegression_whichResolvesAtOnce() {
    slowerVersion();
    RegressionRunner runner = runner(store);
    runner.runOnce();
    assertThat(regressions()).singleElement().matches(Regression::firing);

    // 1.2 behaves like 1.1: nothing between them, but 1.1 is no longer the latest version.
    Instant start = clock.instant().plusSeconds(60);
    runs.all.addAll(
        new SyntheticRuns(3)
            .latencyMs(2600)
            .spacing(Duration.ofSeconds(10))
            .runs("1.2", start, 200));
    clock.advance(Duration.ofHours(1));
    runner.runOnce();

    assertThat(regressions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(Regression.RESOLVED);
              assertThat(r.after().version()).isEqualTo("1.1");
            });
    assertThat(notifications().get(0).status()).isEqualTo(Regression.RESOLVED);
    assertThat(notifications().get(0).summary()).contains("superseded by version 1.2");
    clock.advance(Duration.ofMinutes(5));
    runner.runOnce();
    assertThat(notifications()).hasSize(2);
  }

  @Test
  void aCrashBetweenPublishAndSave_publishesTheTransitionOnce() {
    slowerVersion();
    RegressionRunner crashing = runner(new FailingSaves(store));
    assertThatThrownBy(() -> crashing.runProject("p")).hasMessageContaining("crash");
    assertThat(notifications()).hasSize(1);
    assertThat(regressions()).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    RegressionRunner restarted = runner(store);
    restarted.runOnce();
    assertThat(regressions()).singleElement().matches(Regression::firing);
    assertThat(notifications()).singleElement().matches(Notification::firing);

    // The same for the resolution: published, the save fails, published again on restart.
    runs.all.clear();
    clock.advance(Duration.ofDays(3));
    RegressionRunner crashingAgain = runner(new FailingSaves(store));
    assertThatThrownBy(() -> crashingAgain.runProject("p")).hasMessageContaining("crash");
    assertThat(regressions()).singleElement().matches(Regression::firing);
    clock.advance(Duration.ofMinutes(1));
    runner(store).runOnce();
    assertThat(regressions()).singleElement().matches(r -> !r.firing());
    assertThat(notifications())
        .extracting(Notification::status)
        .containsExactly(Regression.RESOLVED, Regression.FIRING);
  }

  /** Reads the real store; every save fails, as if the process died right before it. */
  private record FailingSaves(RegressionStore store) implements RegressionStore {
    @Override
    public void saveRegressions(List<Regression> regressions) {
      throw new IllegalStateException("crash");
    }

    @Override
    public List<Regression> regressions(String project, TimeRange range, String agent) {
      return store.regressions(project, range, agent);
    }
  }
}
