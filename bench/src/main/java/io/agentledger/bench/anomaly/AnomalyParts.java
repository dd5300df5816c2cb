package io.agentledger.bench.anomaly;

import io.agentledger.bench.report.Results;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.nio.file.Path;
import java.time.Clock;

/** The anomaly part of the suite: ground truth over 1,000 series, then the 10,000-series cycle. */
public final class AnomalyParts {

  private AnomalyParts() {}

  public static void run(Path dir, boolean smoke, Results results, String command) {
    int series = Integer.getInteger("bench.anomalySeries", smoke ? 50 : 1_000);
    int scaleSeries = Integer.getInteger("bench.anomalyScaleSeries", smoke ? 200 : 10_000);
    try (DuckDbSpanStore findings = DuckDbSpanStore.inMemory(Clock.systemUTC())) {
      AnomalyBench.run(
          series,
          new AnomalyBench.Stores(new MemoryRunStore(), findings, "runs in memory"),
          results,
          command);
    }
    try (DuckDbSpanStore findings = DuckDbSpanStore.inMemory(Clock.systemUTC())) {
      AnomalyBench.scale(
          scaleSeries,
          new AnomalyBench.Stores(new MemoryRunStore(), findings, "runs in memory"),
          results,
          command);
    }
  }
}
