package io.agentledger.bench.chains;

import io.agentledger.analyzer.settle.CostTreeDerivation;
import io.agentledger.analyzer.settle.SettledChain;
import io.agentledger.api.ApiLimits;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.bench.decision.DecisionBench;
import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.RequestTiming;
import io.agentledger.bench.report.Results;
import io.agentledger.bench.workload.SpanPool;
import io.agentledger.bench.workload.WorkloadSpec;
import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanStore;
import io.agentledger.store.clickhouse.ClickHouseSpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 16's big-chain reads on DuckDB and ClickHouse: a 100,000-span chain settled (its flat cost
 * tree stored), then over real HTTP its summary ({@code depth=0}), the first level of its tree (the
 * root and its children, {@code depth=2}), one sub-agent opened ({@code parent=}), the whole tree
 * streamed ({@code depth=all}: time, bytes, heap) and, for comparison, the default answer (rolled
 * up from the spans, cut at maxSpans). On ClickHouse also the bytes on disk per span of a realistic
 * workload.
 */
public final class ChainReadBench {

  private static final String PROJECT = "bench";
  private static final String KEY = "bench-key-0123456789abcdef";
  private static final String SECTION = "Big chains (issue 16 reads)";

  private ChainReadBench() {}

  public static void run(Path dir, boolean smoke, Results results, String cmd) throws Exception {
    int size = smoke ? 5_000 : Integer.getInteger("bench.chainSpans", 100_000);
    Path file = dir.resolve("chains.duckdb");
    Files.deleteIfExists(file);
    try (SpanStore store = DuckDbSpanStore.open(file, Clock.systemUTC())) {
      measure("DuckDB", store, size, results, cmd);
    }
    Optional<String> noClickHouse = LocalClickHouse.unavailableReason();
    if (noClickHouse.isPresent()) {
      results.note("Big chains on ClickHouse skipped: " + noClickHouse.get());
      return;
    }
    try (LocalClickHouse ch =
        LocalClickHouse.builder(dir.resolve("clickhouse-chains"))
            // copying the pool to 10 million spans is one INSERT … SELECT of minutes
            .queryTimeout(Duration.ofMinutes(15))
            .start()) {
      ch.query("DROP DATABASE IF EXISTS bench_chains");
      ch.query("CREATE DATABASE bench_chains");
      Properties props = new Properties();
      props.setProperty("user", ch.user());
      props.setProperty("password", ch.password());
      try (SpanStore store =
          ClickHouseSpanStore.open(
              ch.jdbcUrl("bench_chains"), props, Duration.ZERO, Clock.systemUTC())) {
        measure("ClickHouse 26.7 (libchdb)", store, size, results, cmd);
        SpanPool pool = bytesPerSpan(ch, store, smoke ? 20_000 : 500_000, results, cmd);
        if (!smoke || Boolean.getBoolean("bench.chainsScale")) {
          atScale(ch, store, pool, bigTrace(size), smoke ? 3 : 20, results, cmd);
        }
      }
    }
  }

  private static void measure(
      String storeName, SpanStore store, int size, Results results, String cmd) throws Exception {
    String traceId = bigTrace(size);
    List<AgentSpan> spans = DecisionBench.chain(traceId, size);
    for (int from = 0; from < spans.size(); from += 20_000) {
      store.append(spans.subList(from, Math.min(spans.size(), from + 20_000)));
    }
    long t0 = System.nanoTime();
    List<AgentSpan> read = store.chainSpans(PROJECT, traceId);
    long t1 = System.nanoTime();
    ChainRollupResult rollup = ChainRollup.compute(read);
    long t2 = System.nanoTime();
    store.saveRollups(List.of(rollup));
    long t3 = System.nanoTime();
    new CostTreeDerivation(store, CostTreeDerivation.DEFAULT_MIN_SPANS)
        .derive(PROJECT, List.of(new SettledChain(read, rollup)));
    long t4 = System.nanoTime();
    String label = String.format(Locale.ROOT, "%s, %,d-span chain", storeName, read.size());
    results.add(
        SECTION,
        label + ": settle (read spans, roll up, save summary, store the flat tree)",
        String.format(
            Locale.ROOT,
            "%.1f s (read %.1f, roll-up %.1f, summary %.1f, tree %.1f)",
            (t4 - t0) / 1e9,
            (t1 - t0) / 1e9,
            (t2 - t1) / 1e9,
            (t3 - t2) / 1e9,
            (t4 - t3) / 1e9),
        cmd);
    String someAgent =
        rollup
            .roots()
            .get(0)
            .children()
            .get(rollup.roots().get(0).children().size() / 2)
            .span()
            .spanId();
    spans = List.of();
    read = List.of();
    rollup = null;
    serve(store, traceId, someAgent, label, results, cmd);
  }

  private static void serve(
      SpanStore store, String traceId, String someAgent, String label, Results results, String cmd)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse(PROJECT + ":" + KEY),
            PriceCatalog.bundled(),
            registry,
            Clock.systemUTC(),
            "bench",
            new ApiLimits(
                TenantLimiter.Limits.unlimited(),
                ApiLimits.defaults().maxChainSpans(),
                ApiLimits.defaults().maxCostCells(),
                ApiLimits.defaults().maxPriceOverrides(),
                Duration.ofSeconds(120),
                ApiLimits.defaults().warningInterval()));
    try (QueryApiServer server =
        new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port() + QueryApi.ROOT + "/chains/" + traceId;
      latency(
          http,
          base + "?depth=0",
          40,
          label + ": summary (`?depth=0`)",
          "p95 ≤ 200 ms",
          200,
          results,
          cmd);
      latency(
          http,
          base + "?depth=2",
          40,
          label + ": first level of the tree (`?depth=2`: the root and its children)",
          "p95 ≤ 500 ms",
          500,
          results,
          cmd);
      latency(
          http,
          base + "?parent=" + someAgent,
          40,
          label + ": one sub-agent opened (`?parent=<spanId>`, its children)",
          "",
          0,
          results,
          cmd);
      streamWhole(http, base + "?depth=all", label, results, cmd);
      latency(
          http,
          base,
          3,
          label
              + ": default answer (rolled up from the spans, cut at maxSpans 5,000), for comparison",
          "",
          0,
          results,
          cmd);
    }
  }

  private static void latency(
      HttpClient http,
      String url,
      int samples,
      String figure,
      String target,
      double targetMs,
      Results results,
      String cmd)
      throws Exception {
    long[] bytes = {0};
    Latencies latencies =
        RequestTiming.measure(
            3,
            samples,
            () -> http.send(request(url), HttpResponse.BodyHandlers.ofByteArray()),
            (r, measured) -> bytes[0] = r.body().length);
    String value = latencies.summary() + String.format(Locale.ROOT, "; %,d bytes", bytes[0]);
    if (target.isEmpty()) {
      results.add(SECTION, figure, value, cmd);
    } else {
      results.add(SECTION, figure, value, target, latencies.percentileMillis(95) <= targetMs, cmd);
    }
  }

  /** The whole tree, read as it arrives; the server's heap sampled meanwhile. */
  private static void streamWhole(
      HttpClient http, String url, String label, Results results, String cmd) throws Exception {
    long before = heapAfterGc();
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(heapUsed(), Math::max);
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    long firstByte = 0;
    long bytes = 0;
    HttpResponse<InputStream> r =
        http.send(request(url), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (bytes == 0 && n > 0) {
          firstByte = System.nanoTime() - start;
        }
        bytes += n;
      }
    }
    long took = System.nanoTime() - start;
    sampler.interrupt();
    sampler.join();
    if (r.statusCode() != 200) {
      throw new IllegalStateException("whole tree: " + r.statusCode());
    }
    results.add(
        SECTION,
        label + ": whole tree streamed (`?depth=all`)",
        String.format(
            Locale.ROOT,
            "%.0f ms (first byte after %.0f ms), %,d bytes; heap in use above the idle level while"
                + " serving (garbage included) ≤ %,d MiB of %,d MiB max",
            took / 1e6,
            firstByte / 1e6,
            bytes,
            Math.max(0, peak.get() - before) >> 20,
            Runtime.getRuntime().maxMemory() >> 20),
        cmd);
  }

  /**
   * {@code GET /chains/{traceId}} and {@code GET /costs?groupBy=agent} over 24 hours on ClickHouse
   * holding {@code copies} × the realistic pool: the pool's spans (appended through the store)
   * copied inside ClickHouse ({@code INSERT … SELECT}, each copy an hour later under new trace
   * ids), since appending 10 million spans through the store would take most of an hour here.
   */
  private static void atScale(
      LocalClickHouse ch,
      SpanStore store,
      SpanPool pool,
      String bigTrace,
      int copies,
      Results results,
      String cmd)
      throws Exception {
    String copyId = "concat(lower(hex(toUInt16(k))), substring(TraceId, 5))";
    // Every stored span but the big chain's is the pool's, appended once.
    String pooled = "Project = 'bench' AND TraceId != '" + bigTrace + "'";
    long t0 = System.nanoTime();
    ch.query(
        "INSERT INTO bench_chains.spans SELECT * REPLACE ("
            + copyId
            + " AS TraceId, Timestamp + toIntervalHour(k) AS Timestamp) FROM bench_chains.spans"
            + " ARRAY JOIN range(1, "
            + copies
            + ") AS k WHERE "
            + pooled);
    ch.query(
        "INSERT INTO bench_chains.trace_index SELECT Project, "
            + copyId
            + ", Start + toIntervalHour(k), `End` + toIntervalHour(k) FROM bench_chains.trace_index"
            + " ARRAY JOIN range(1, "
            + copies
            + ") AS k WHERE "
            + pooled);
    long filled = System.nanoTime() - t0;
    long spans = Long.parseLong(ch.query("SELECT count() FROM bench_chains.spans").trim());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse(PROJECT + ":" + KEY),
            PriceCatalog.bundled(),
            registry,
            Clock.systemUTC(),
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
      String base = "http://127.0.0.1:" + server.port() + QueryApi.ROOT;
      java.util.SplittableRandom random = new java.util.SplittableRandom(11);
      long[] spansSeen = {0};
      Latencies chains =
          RequestTiming.measure(
              30,
              300,
              () -> {
                String trace = pool.traceIds().get(random.nextInt(pool.traceIds().size()));
                int k = 1 + random.nextInt(copies - 1);
                String copy = String.format(Locale.ROOT, "%04x", k) + trace.substring(4);
                return http.send(
                    request(base + "/chains/" + copy), HttpResponse.BodyHandlers.ofString());
              },
              (r, measured) -> {
                if (measured) {
                  spansSeen[0] +=
                      new com.fasterxml.jackson.databind.ObjectMapper()
                          .readTree(r.body())
                          .path("spanCount")
                          .asLong();
                }
              });
      results.add(
          SECTION,
          String.format(
              Locale.ROOT,
              "ClickHouse 26.7: `GET /chains/{traceId}` with %,d spans stored (chains of %.0f"
                  + " spans on average; copies made in %.0f s)",
              spans,
              (double) spansSeen[0] / chains.count(),
              filled / 1e9),
          chains.summary(),
          "p95 ≤ 20 ms",
          chains.percentileMillis(95) <= 20,
          cmd);
      long from = 1_763_900_000_000L - 3_600_000L;
      long to = from + 24 * 3_600_000L;
      Latencies costs =
          RequestTiming.measure(
              5,
              30,
              () ->
                  http.send(
                      request(base + "/costs?groupBy=agent&from=" + from + "&to=" + to),
                      HttpResponse.BodyHandlers.ofString()));
      results.add(
          SECTION,
          String.format(
              Locale.ROOT,
              "ClickHouse 26.7: `GET /costs?groupBy=agent` over 24 hours, %,d spans stored (all"
                  + " within the 24 hours)",
              spans),
          costs.summary(),
          "p95 ≤ 300 ms",
          costs.percentileMillis(95) <= 300,
          cmd);
    }
  }

  /** A realistic workload's spans appended to ClickHouse, then its parts' bytes on disk. */
  private static SpanPool bytesPerSpan(
      LocalClickHouse ch, SpanStore store, int spans, Results results, String cmd)
      throws Exception {
    SpanPool pool =
        SpanPool.generate(WorkloadSpec.realistic(), 7, spans, PROJECT, 1_763_900_000_000_000_000L);
    for (int from = 0; from < pool.size(); from += 20_000) {
      store.append(pool.round(0, 0, from, Math.min(pool.size(), from + 20_000)));
    }
    ch.query("OPTIMIZE TABLE bench_chains.spans FINAL");
    String parts =
        ch.query(
            "SELECT sum(rows), sum(bytes_on_disk), sum(data_uncompressed_bytes) FROM system.parts"
                + " WHERE database = 'bench_chains' AND table = 'spans' AND active"
                + " FORMAT TabSeparated");
    String[] f = parts.trim().split("\t");
    long rows = Long.parseLong(f[0]);
    long onDisk = Long.parseLong(f[1]);
    long raw = Long.parseLong(f[2]);
    String all =
        ch.query(
            "SELECT sum(bytes_on_disk) FROM system.parts WHERE database = 'bench_chains' AND active"
                + " FORMAT TabSeparated");
    results.add(
        SECTION,
        String.format(
            Locale.ROOT,
            "ClickHouse 26.7: bytes on disk per span, %,d spans of the realistic workload (plus the"
                + " 100,000-span chain) after OPTIMIZE FINAL",
            rows),
        String.format(
            Locale.ROOT,
            "%.0f bytes/span in `spans` (%,d bytes; uncompressed %.0f bytes/span); every table of"
                + " the database: %.0f bytes/span",
            (double) onDisk / rows,
            onDisk,
            (double) raw / rows,
            Double.parseDouble(all.trim()) / rows),
        cmd);
    return pool;
  }

  private static String bigTrace(int size) {
    return String.format(Locale.ROOT, "%032x", 0xc4a1_0000L + size);
  }

  private static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + KEY)
        .timeout(Duration.ofMinutes(5))
        .build();
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return heapUsed();
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }
}
