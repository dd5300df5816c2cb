package io.agentledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.store.paths.PathGroup;
import io.agentledger.store.paths.PathNode;
import io.agentledger.store.paths.PathTrees;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every adapter must do with runs ({@link RunStore}) and path groups ({@link PathQueries}):
 * mixed into {@link SpanStoreContract}, so both adapters run it on a fresh store per test.
 */
public interface RunStoreContract {

  /** 2025-11-23T12:13:20Z. */
  Instant T = Instant.ofEpochSecond(1_763_900_000L);

  TimeRange DAY = new TimeRange(T.minus(Duration.ofHours(12)), T.plus(Duration.ofHours(12)));

  /** The fresh store of the current test. */
  SpanStore store();

  static RunSummary run(
      String project,
      String traceId,
      String spanId,
      String agent,
      String version,
      long offsetSeconds,
      long durationMs,
      String costUsd,
      int errors,
      List<String> path) {
    return new RunSummary(
        project,
        traceId,
        spanId,
        agent,
        version,
        "svc",
        "u-1",
        "s-1",
        T.plusSeconds(offsetSeconds),
        durationMs,
        new BigDecimal(costUsd).setScale(12), // as stored: runs compare equal after a read
        true,
        1000,
        200,
        2,
        path.size(),
        errors,
        0,
        List.of("gpt-4o"),
        path,
        Map.of("tool_loop", "search"));
  }

  static RunSummary simple(String traceId, String spanId, String agent, List<String> path) {
    return run("p", traceId, spanId, agent, "1.0", 0, 100, "0.10", 0, path);
  }

  @Test
  default void runs_roundTripEveryField_oldestFirst_scopedToProjectAgentAndVersion() {
    RunSummary later =
        run("p", "t2", "a", "support", "2.0", 60, 2500, "0.123456789012", 2, List.of("llm:gpt-4o"));
    RunSummary earlier =
        run("p", "t1", "a", "support", "1.0", 0, 1200, "0.5", 0, List.of("tool:search ×3"));
    RunSummary nested = run("p", "t1", "b", "refunds", "1.0", 1, 300, "0.2", 0, List.of());
    RunSummary foreign = run("q", "t1", "a", "support", "1.0", 0, 1, "9", 0, List.of());
    store().replaceRuns("p", List.of("t2"), List.of(later));
    store().replaceRuns("p", List.of("t1"), List.of(earlier, nested));
    store().replaceRuns("q", List.of("t1"), List.of(foreign));

    assertThat(store().runs("p", "support", "", DAY, 10)).containsExactly(earlier, later);
    assertThat(store().runs("p", "support", "2.0", DAY, 10)).containsExactly(later);
    assertThat(store().runs("p", "", "", DAY, 10)).containsExactly(earlier, nested, later);
    assertThat(store().runs("p", "", "", DAY, 2)).containsExactly(earlier, nested);
    assertThat(
            store()
                .runs("p", "support", "", new TimeRange(T.plusSeconds(1), T.plusSeconds(60)), 10))
        .as("the range includes its start and excludes its end")
        .isEmpty();
    assertThat(store().runs("q", "", "", DAY, 10)).containsExactly(foreign);
  }

  @Test
  default void replaceRuns_replacesAChainsRuns_neverAddingToThem() {
    RunSummary a = simple("t1", "a", "support", List.of("llm:gpt-4o"));
    RunSummary b = simple("t1", "b", "refunds", List.of("tool:refund"));
    RunSummary other = simple("t2", "a", "support", List.of("llm:gpt-4o"));
    store().replaceRuns("p", List.of("t1", "t2"), List.of(a, b, other));
    store().replaceRuns("p", List.of("t1", "t2"), List.of(a, b, other)); // settled again

    // The chain settles again with a late span: run b is gone, run a changed, run c is new.
    RunSummary a2 = run("p", "t1", "a", "support", "1.0", 0, 900, "0.35", 1, List.of("llm:gpt-4o"));
    RunSummary c = simple("t1", "c", "support", List.of("tool:search"));
    store().replaceRuns("p", List.of("t1"), List.of(a2, c));

    assertThat(store().runs("p", "", "", DAY, 10)).containsExactlyInAnyOrder(a2, c, other);
    store().replaceRuns("p", List.of("t2"), List.of());
    assertThat(store().runs("p", "", "", DAY, 10)).containsExactlyInAnyOrder(a2, c);
    store().replaceRuns("p", List.of("t2"), List.of(other));
    assertThat(store().runs("p", "", "", DAY, 10)).containsExactlyInAnyOrder(a2, c, other);
  }

  @Test
  default void replaceRuns_refusesRunsOfOtherChainsOrProjects_orOfAMillionDollars() {
    RunSummary run = simple("t1", "a", "support", List.of());
    RunSummary huge = run("p", "t1", "a", "support", "1.0", 0, 1, "1000000", 0, List.of());
    assertThatThrownBy(() -> store().replaceRuns("p", List.of("t1"), List.of(huge)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().replaceRuns("p", List.of("t2"), List.of(run)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().replaceRuns("q", List.of("t1"), List.of(run)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().runs("p", "", "", DAY, 10)).isEmpty();
  }

  @Test
  default void pathGroups_sumEachDistinctPath_inTheDatabase() {
    List<String> ab = List.of("llm:gpt-4o", "tool:search");
    List<String> ac = List.of("llm:gpt-4o", "tool:search ×3");
    List<RunSummary> runs = new ArrayList<>();
    // Path ab: three runs, $0.30 + $0.10 + $0.20 = $0.60, 100 + 300 + 200 = 600 ms, one error.
    runs.add(run("p", "t1", "a", "support", "1.0", 1, 100, "0.30", 0, ab));
    runs.add(run("p", "t2", "a", "support", "1.0", 2, 300, "0.10", 3, ab));
    runs.add(run("p", "t3", "a", "support", "1.0", 3, 200, "0.20", 0, ab));
    // Path ac: one run, $1.00, 5 s.
    runs.add(run("p", "t4", "a", "support", "1.0", 4, 5000, "1.00", 0, ac));
    // Not counted: another version, another agent, outside the range, another project.
    runs.add(run("p", "t5", "a", "support", "2.0", 5, 1, "7", 0, ab));
    runs.add(run("p", "t6", "a", "billing", "1.0", 6, 1, "7", 0, ab));
    runs.add(run("p", "t7", "a", "support", "1.0", 86_400, 1, "7", 0, ab));
    List<String> traces = runs.stream().map(RunSummary::traceId).distinct().toList();
    store().replaceRuns("p", traces, runs);
    store().replaceRuns("p", traces, runs); // settled twice: counted once
    store()
        .replaceRuns(
            "q", List.of("t1"), List.of(run("q", "t1", "a", "support", "1.0", 1, 1, "7", 0, ab)));

    List<PathGroup> groups = store().pathGroups("p", "support", "1.0", DAY);

    assertThat(groups).extracting(PathGroup::path).containsExactly(ab, ac);
    PathGroup first = groups.get(0);
    assertThat(first.runs()).isEqualTo(3);
    assertThat(first.errorRuns()).isEqualTo(1);
    assertThat(first.costUsd()).isEqualByComparingTo("0.60");
    assertThat(first.durationMs()).isEqualTo(600);
    assertThat(first.exampleTraceIds())
        .as("the latest, the most expensive, the slowest")
        .containsExactly("t3", "t1", "t2");
    assertThat(first.cost().count()).isEqualTo(3);
    assertThat(first.cost().min()).isEqualTo(0.10);
    assertThat(first.cost().max()).isEqualTo(0.30);
    assertThat(first.duration().count()).isEqualTo(3);
    assertThat(first.duration().buckets())
        .as("the buckets the database computed are the ones LogHistogram defines")
        .isEqualTo(io.agentledger.store.paths.LogHistogram.of(100, 200, 300).buckets());
    assertThat(first.cost().buckets())
        .isEqualTo(io.agentledger.store.paths.LogHistogram.of(0.1, 0.2, 0.3).buckets());
    PathGroup second = groups.get(1);
    assertThat(second.runs()).isEqualTo(1);
    assertThat(second.costUsd()).isEqualByComparingTo("1.00");
    assertThat(second.duration().quantile(0.95)).isEqualTo(5000);
    assertThat(second.exampleTraceIds()).containsExactly("t4");

    // Every version: the run of version 2.0 joins path ab.
    assertThat(store().pathGroups("p", "support", "", DAY).get(0).runs()).isEqualTo(4);
    assertThat(store().pathGroups("p", "nobody", "", DAY)).isEmpty();

    PathNode root = PathTrees.tree("agent:support", groups, 0);
    assertThat(root.runs()).isEqualTo(4);
    assertThat(root.child("llm:gpt-4o").runs()).isEqualTo(4);
    assertThat(root.child("llm:gpt-4o").child("tool:search ×3").share()).isEqualTo(0.25);
  }
}
