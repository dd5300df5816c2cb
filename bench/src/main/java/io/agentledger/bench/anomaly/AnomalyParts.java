package io.agentledger.bench.anomaly;

import io.agentledger.bench.BenchSuite;
import io.agentledger.bench.report.Results;
import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.store.clickhouse.ClickHouseSpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The anomaly part of the suite: ground truth over 1,000 series (runs held in memory: the
 * detector's own cost and false rate), then one cycle over 10,000 series with the runs in memory,
 * in DuckDB and in ClickHouse.
 *
 * <p>Options: {@code --series N}, {@code --scale-series N}, {@code --scale-stores
 * memory,duckdb,clickhouse}, {@code --only truth|scale}.
 */
public final class AnomalyParts {

  private AnomalyParts() {}

  public static void run(
      Path dir, boolean smoke, List<String> options, Results results, String command) {
    int series = Integer.parseInt(BenchSuite.option(options, "--series", smoke ? "50" : "1000"));
    int scaleSeries =
        Integer.parseInt(BenchSuite.option(options, "--scale-series", smoke ? "200" : "10000"));
    List<String> stores =
        List.of(
            BenchSuite.option(
                    options, "--scale-stores", smoke ? "memory" : "memory,duckdb,clickhouse")
                .split(","));
    String only = BenchSuite.option(options, "--only", "");
    String cmd = command + " (anomalies part" + sizes(options) + ")";
    if (!only.equals("scale")) {
      try (DuckDbSpanStore findings = DuckDbSpanStore.inMemory(Clock.systemUTC())) {
        AnomalyBench.run(
            series,
            Long.parseLong(BenchSuite.option(options, "--seed", "42")),
            new AnomalyBench.Stores(new MemoryRunStore(), findings, "runs in memory"),
            results,
            cmd);
      }
    }
    if (only.equals("truth")) {
      return;
    }
    if (stores.contains("memory")) {
      try (DuckDbSpanStore findings = DuckDbSpanStore.inMemory(Clock.systemUTC())) {
        AnomalyBench.scale(
            scaleSeries,
            new AnomalyBench.Stores(new MemoryRunStore(), findings, "runs in memory"),
            results,
            cmd);
      }
    }
    if (stores.contains("duckdb")) {
      try (DuckDbSpanStore store =
          DuckDbSpanStore.open(dir.resolve("anomalies.duckdb"), Clock.systemUTC())) {
        AnomalyBench.scale(
            scaleSeries, new AnomalyBench.Stores(store, store, "DuckDB file"), results, cmd);
      }
    }
    if (stores.contains("clickhouse")) {
      Optional<String> noClickHouse = LocalClickHouse.unavailableReason();
      if (noClickHouse.isPresent()) {
        results.note("Anomaly detection on ClickHouse skipped: " + noClickHouse.get());
        return;
      }
      try (LocalClickHouse ch = LocalClickHouse.builder(dir.resolve("clickhouse")).start()) {
        ch.query("CREATE DATABASE IF NOT EXISTS bench_anomalies");
        Properties props = new Properties();
        props.setProperty("user", ch.user());
        props.setProperty("password", ch.password());
        try (ClickHouseSpanStore store =
            ClickHouseSpanStore.open(
                ch.jdbcUrl("bench_anomalies"), props, Duration.ZERO, Clock.systemUTC())) {
          AnomalyBench.scale(
              scaleSeries,
              new AnomalyBench.Stores(store, store, "ClickHouse 26.7 (libchdb)"),
              results,
              cmd);
        }
      }
    }
  }

  private static String sizes(List<String> options) {
    StringBuilder b = new StringBuilder();
    for (String name :
        List.of("--series", "--seed", "--scale-series", "--scale-stores", "--only")) {
      String v = BenchSuite.option(options, name, "");
      if (!v.isEmpty()) {
        b.append(' ').append(name).append(' ').append(v);
      }
    }
    return b.toString();
  }
}
