package io.agentledger.bench.paths;

import io.agentledger.api.ApiLimits;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.RequestTiming;
import io.agentledger.bench.report.Results;
import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.RunSummary;
import io.agentledger.store.SpanStore;
import io.agentledger.store.clickhouse.ClickHouseSpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * {@code GET /agents/{agent}/paths} over real HTTP with one agent's runs stored: 100,000 runs over
 * seven days, two versions, about 50 distinct paths of Zipf-like popularity (a few common paths, a
 * long tail of loops and retries), on DuckDB and on a real ClickHouse (libchdb, {@link
 * LocalClickHouse}).
 */
public final class PathsBench {

  static final String PROJECT = "bench";
  static final String AGENT = "support";
  private static final String KEY = "bench-key-0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
  private static final int BATCH = 5_000;
  private static final int WARMUP = 5;
  private static final int MEASURED = 40;

  private PathsBench() {}

  public static void run(Path dir, int runs, Results results, String cmd) throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    List<List<String>> paths = PathCatalog.paths();
    try (SpanStore store = DuckDbSpanStore.open(dir.resolve("paths.duckdb"), clock)) {
      measure("DuckDB", store, runs, paths, clock, results, cmd);
    }
    Optional<String> noClickHouse = LocalClickHouse.unavailableReason();
    if (noClickHouse.isPresent()) {
      results.note("Paths on ClickHouse skipped: " + noClickHouse.get());
      return;
    }
    try (LocalClickHouse ch = LocalClickHouse.builder(dir.resolve("clickhouse")).start()) {
      ch.query("CREATE DATABASE IF NOT EXISTS bench_paths");
      Properties props = new Properties();
      props.setProperty("user", ch.user());
      props.setProperty("password", ch.password());
      try (SpanStore store =
          ClickHouseSpanStore.open(ch.jdbcUrl("bench_paths"), props, Duration.ZERO, clock)) {
        measure("ClickHouse 26.7 (libchdb)", store, runs, paths, clock, results, cmd);
      }
    }
  }

  private static void measure(
      String storeName,
      SpanStore store,
      int runs,
      List<List<String>> paths,
      Clock clock,
      Results results,
      String cmd)
      throws Exception {
    long loadStart = System.nanoTime();
    int distinct = load(store, runs, paths);
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    results.add(
        "Aggregated paths",
        String.format(
            Locale.ROOT,
            "%s: store %,d runs (replaceRuns, batches of %,d)",
            storeName,
            runs,
            BATCH),
        String.format(Locale.ROOT, "%,.0f runs/s", runs / loadSeconds),
        cmd);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse(PROJECT + ":" + KEY),
            PriceCatalog.bundled(),
            registry,
            clock,
            "bench",
            new ApiLimits(
                TenantLimiter.Limits.unlimited(),
                ApiLimits.defaults().maxChainSpans(),
                ApiLimits.defaults().maxCostCells(),
                ApiLimits.defaults().maxPriceOverrides(),
                ApiLimits.defaults().idleTimeout(),
                ApiLimits.defaults().warningInterval()));
    try (QueryApiServer server =
        new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port() + QueryApi.ROOT + "/agents/" + AGENT;
      String range = "from=" + NOW.minus(Duration.ofDays(7)) + "&to=" + NOW;
      for (String query :
          List.of("/paths?" + range, "/paths?" + range + "&version=1.5&compare=1.4")) {
        Latencies latencies =
            RequestTiming.measure(WARMUP, MEASURED, () -> get(http, URI.create(base + query)));
        results.add(
            "Aggregated paths",
            String.format(
                Locale.ROOT,
                "%s: `GET /agents/{agent}/paths%s, %,d runs of the agent, %d distinct paths",
                storeName,
                query.contains("compare") ? "?version&compare` (two trees)" : "` over 7 days",
                runs,
                distinct),
            latencies.summary(),
            "p95 ≤ 300 ms",
            latencies.percentileMillis(95) <= 300,
            cmd);
      }
    }
  }

  /** Stores the runs, each in a chain of its own; returns how many distinct paths were used. */
  private static int load(SpanStore store, int runs, List<List<String>> paths) {
    SplittableRandom random = new SplittableRandom(2026);
    double[] cumulative = PathCatalog.zipf(paths.size(), 1.1);
    boolean[] used = new boolean[paths.size()];
    List<RunSummary> batch = new ArrayList<>(BATCH);
    List<String> traces = new ArrayList<>(BATCH);
    for (int i = 0; i < runs; i++) {
      int p = PathCatalog.pick(cumulative, random.nextDouble());
      used[p] = true;
      List<String> path = paths.get(p);
      String trace = String.format("%032x", 0x5eed_0000_0000L + i);
      int steps = path.size();
      boolean loops = path.stream().anyMatch(s -> s.contains(" ×"));
      double cost = 0.004 * steps * Math.exp(random.nextDouble() * 0.8 - 0.4);
      long durationMs = (long) (700 * steps * Math.exp(random.nextDouble() * 1.2 - 0.6));
      batch.add(
          new RunSummary(
              PROJECT,
              trace,
              "00000000000000a1",
              AGENT,
              random.nextDouble() < 0.6 ? "1.4" : "1.5",
              "support-bot",
              "user-" + random.nextInt(2_000),
              "session-" + random.nextInt(20_000),
              NOW.minusMillis(1 + random.nextLong(Duration.ofDays(7).toMillis())),
              durationMs,
              BigDecimal.valueOf(cost).setScale(6, RoundingMode.HALF_EVEN),
              true,
              900L * steps,
              150L * steps,
              (int) path.stream().filter(s -> s.startsWith("llm:")).count(),
              (int) path.stream().filter(s -> s.startsWith("tool:")).count(),
              random.nextDouble() < (loops ? 0.12 : 0.02) ? 1 : 0,
              0,
              List.of("gpt-4o"),
              path,
              Map.of()));
      traces.add(trace);
      if (batch.size() == BATCH || i == runs - 1) {
        store.replaceRuns(PROJECT, traces, batch);
        batch.clear();
        traces.clear();
      }
    }
    int distinct = 0;
    for (boolean u : used) {
      distinct += u ? 1 : 0;
    }
    return distinct;
  }

  private static HttpResponse<byte[]> get(HttpClient http, URI uri)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
