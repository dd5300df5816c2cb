package io.agentledger.analyzer.regress;

import static io.agentledger.analyzer.regress.SyntheticRuns.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.store.Regression;
import io.agentledger.store.RegressionStore;
import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import io.agentledger.store.TestClock;
import io.agentledger.store.TimeRange;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegressionRunnerTest {

  /** Runs in memory, as the RunStore contract reads them: oldest first, up to a limit. */
  static final class MemoryRuns implements RunStore {
    final List<RunSummary> all = new ArrayList<>();
    final List<TimeRange> ranges = new ArrayList<>();
    int reads;

    @Override
    public void replaceRuns(String project, Collection<String> traceIds, List<RunSummary> runs) {
      all.removeIf(r -> r.project().equals(project) && traceIds.contains(r.traceId()));
      all.addAll(runs);
    }

    @Override
    public List<RunSummary> runs(
        String project, String agent, String agentVersion, TimeRange range, int limit) {
      reads++;
      ranges.add(range);
      return all.stream()
          .filter(r -> r.project().equals(project))
          .filter(r -> agent.isEmpty() || r.agent().equals(agent))
          .filter(r -> agentVersion.isEmpty() || r.agentVersion().equals(agentVersion))
          .filter(r -> !r.startTime().isBefore(range.from()) && r.startTime().isBefore(range.to()))
          .sorted(Comparator.comparing(RunSummary::startTime))
          .limit(limit)
          .toList();
    }
  }

  static final class MemoryRegressions implements RegressionStore {
    final Map<String, Regression> byId = new LinkedHashMap<>();

    @Override
    public void saveRegressions(List<Regression> regressions) {
      regressions.forEach(r -> byId.put(r.project() + "/" + r.id(), r));
    }

    @Override
    public List<Regression> regressions(String project, TimeRange range, String agent) {
      return byId.values().stream()
          .filter(r -> r.project().equals(project))
          .filter(r -> agent.isEmpty() || r.agent().equals(agent))
          .filter(
              r -> !r.detectedAt().isBefore(range.from()) && r.detectedAt().isBefore(range.to()))
          .toList();
    }
  }

  private final MemoryRuns runs = new MemoryRuns();
  private final MemoryRegressions saved = new MemoryRegressions();
  private final TestClock clock = new TestClock(T0.plus(Duration.ofDays(1)));
  private final DuckDbSpanStore outbox = DuckDbSpanStore.inMemory(clock);

  @AfterEach
  void closeOutbox() {
    outbox.close();
  }

  private RegressionRunner runner(int pageSize) {
    return new RegressionRunner(
        runs,
        saved,
        new Notifications(outbox, List.of("webhook"), new SimpleMeterRegistry()),
        new RegressionDetector(RegressionConfig.defaults()),
        () -> Set.of("p", "empty"),
        clock,
        new SimpleMeterRegistry(),
        pageSize);
  }

  @Test
  void readsEveryRunPageByPage_savesTheRegression_andKeepsWhenItWasFirstDetected() {
    Instant later = T0.plus(Duration.ofHours(6));
    runs.all.addAll(new SyntheticRuns(1).runs("1.0", T0, 200));
    // Two runs per instant, so page boundaries fall between runs of the same start time.
    for (RunSummary r : new SyntheticRuns(2).latencyMs(2600).runs("1.1", later, 200)) {
      runs.all.add(r);
      runs.all.add(new SyntheticRuns(r.durationMs()).latencyMs(2600).run("1.1", r.startTime()));
    }
    RegressionRunner runner = runner(37);

    assertThat(runner.runOnce()).isEqualTo(1);
    Regression first = saved.byId.values().iterator().next();
    assertThat(first.metric()).isEqualTo("durationMs");
    assertThat(first.before().runs()).isEqualTo(200);
    assertThat(first.after().runs()).isEqualTo(400); // every run read once
    assertThat(first.detectedAt()).isEqualTo(clock.instant());
    assertThat(runs.reads).isGreaterThan(600 / 37);

    clock.advance(Duration.ofMinutes(5));
    assertThat(runner.runOnce()).isEqualTo(1);
    assertThat(saved.byId).hasSize(1);
    assertThat(saved.byId.values().iterator().next().detectedAt()).isEqualTo(first.detectedAt());
  }

  @Test
  void laterCycles_readOnlyWhatStartedSinceTheLastLessTheLateness() {
    runs.all.addAll(new SyntheticRuns(1).runs("1.0", T0.plus(Duration.ofHours(12)), 200));
    RegressionRunner runner = runner(1000);
    assertThat(runner.runOnce()).isZero();
    Instant firstCycle = clock.instant();
    assertThat(runs.ranges)
        .extracting(TimeRange::from)
        .containsOnly(firstCycle.minus(Duration.ofDays(14)));

    clock.advance(Duration.ofHours(1));
    runs.ranges.clear();
    runs.all.addAll(
        new SyntheticRuns(2)
            .latencyMs(2600)
            .spacing(Duration.ofSeconds(10))
            .runs("1.1", clock.instant().minus(Duration.ofMinutes(40)), 200));

    assertThat(runner.runOnce()).isEqualTo(1);
    assertThat(runs.ranges)
        .extracting(TimeRange::from)
        .containsOnly(firstCycle.minus(Duration.ofMinutes(RegressionRunner.LATENESS_MINUTES)));
    Regression r = saved.byId.values().iterator().next();
    assertThat(r.before().runs()).isEqualTo(200);
    assertThat(r.after().runs()).isEqualTo(200);

    // Every few hours the whole look-back is read again.
    clock.advance(Duration.ofHours(RegressionRunner.RELOAD_HOURS));
    runs.ranges.clear();
    runner.runOnce();
    assertThat(runs.ranges)
        .extracting(TimeRange::from)
        .containsOnly(clock.instant().minus(Duration.ofDays(14)));
  }

  @Test
  void runsOlderThanTheLookback_areNotRead() {
    runs.all.addAll(new SyntheticRuns(1).runs("1.0", T0.minus(Duration.ofDays(30)), 200));
    runs.all.addAll(new SyntheticRuns(2).latencyMs(2600).runs("1.1", T0, 200));

    assertThat(runner(1000).runOnce()).isZero();
  }
}
