package io.agentledger.bench.pipeline;

import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.ProcessUsage;
import io.agentledger.bench.report.Results;
import io.agentledger.bench.workload.GeneratedChain;
import io.agentledger.bench.workload.WorkloadGenerator;
import io.agentledger.bench.workload.WorkloadSpec;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The collector issue's figures: the standalone (embedded Kafka, collector, DuckDB, in this
 * process) fed flat out over OTLP/HTTP (protobuf, gzip) by several clients; sustained spans/s from
 * export to queryable, and the latency from export to queryable of marker chains sent during the
 * load. The Kafka ceiling is measured on the same broker in the same run.
 */
public final class PipelineBench {

  private static final AtomicLong MARKER_SEEDS = new AtomicLong(99);

  private static final String PROJECT = "bench";
  private static final String KEY = "bench-key-0123456789abcdef";
  private static final String MARKER_KEY = "marker-key-0123456789abcdef";
  private static final int CLIENTS = 4;

  private PipelineBench() {}

  public static void run(Path dir, long totalSpans, Results results, String cmd) throws Exception {
    long start = System.currentTimeMillis() * 1_000_000L;
    System.out.printf(
        Locale.ROOT, "pipeline: preparing %,d spans of OTLP requests...%n", totalSpans);
    // ~480 spans a request, as an SDK's batch exporter sends (512 spans a batch by default).
    int distinct = (int) Math.max(4, Math.min(200, totalSpans / 480));
    List<RequestPool.Body> bodies = RequestPool.prepare(distinct, 20, totalSpans, start);
    long spans = bodies.stream().mapToLong(RequestPool.Body::spans).sum();
    long rawBytes = bodies.stream().mapToLong(b -> b.raw().length).sum();
    long gzipBytes = bodies.stream().mapToLong(b -> b.gzip().length).sum();
    results.note(
        String.format(
            Locale.ROOT,
            "Pipeline workload: %,d spans in %,d requests of ~%d spans; %.0f bytes/span as"
                + " protobuf, %.0f gzipped (level 1).",
            spans,
            bodies.size(),
            spans / bodies.size(),
            (double) rawBytes / spans,
            (double) gzipBytes / spans));

    Path data = dir.resolve("standalone");
    try (Standalone app = start(data, Map.of())) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI traces = app.tracesEndpoint();
      System.out.println(
          "pipeline: sending "
              + (System.getProperty("bench.rate") == null
                  ? "flat out"
                  : "at " + System.getProperty("bench.rate") + " spans/s")
              + " with "
              + CLIENTS
              + " clients...");
      ProcessUsage usage = new ProcessUsage();
      AtomicInteger next = new AtomicInteger();
      AtomicLong refused = new AtomicLong();
      AtomicBoolean sending = new AtomicBoolean(true);
      Latencies markers = new Latencies();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
      // -Dbench.rate=N sends at N spans/s instead of flat out.
      double rate = Double.parseDouble(System.getProperty("bench.rate", "0"));
      long[] spansBefore = new long[bodies.size()];
      for (int i = 1; i < bodies.size(); i++) {
        spansBefore[i] = spansBefore[i - 1] + bodies.get(i - 1).spans();
      }
      long t0 = System.nanoTime();
      Future<Long> markerLoop = clients.submit(() -> markers(app, http, traces, sending, markers));
      List<Future<?>> senders = new java.util.ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        senders.add(
            clients.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < bodies.size();
                      i = next.getAndIncrement()) {
                    if (rate > 0) { // paced: request i leaves when the rate allows its first span
                      long due = t0 + (long) (spansBefore[i] * 1e9 / rate);
                      java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                    }
                    while (post(http, traces, bodies.get(i).gzip()) != 200) {
                      refused.incrementAndGet();
                      Thread.sleep(50); // back off as an exporter does on 429/503
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : senders) {
        f.get();
      }
      double acceptSeconds = (System.nanoTime() - t0) / 1e9;
      sending.set(false);
      long markerSpans = markerLoop.get();
      io.micrometer.core.instrument.Counter stored =
          app.metrics().counter("agentledger.spans.stored");
      while (stored.count() < spans + markerSpans) {
        Thread.sleep(10); // polling for the end of the run
      }
      double queryableSeconds = (System.nanoTime() - t0) / 1e9;
      clients.shutdown();
      double cores = usage.coresUsed();
      long rss = ProcessUsage.rssMiB();
      double accepted = spans / acceptSeconds;
      double sustained = spans / queryableSeconds;
      results.add(
          "Pipeline (standalone, OTLP/HTTP protobuf+gzip → Kafka → DuckDB)",
          String.format(
              Locale.ROOT,
              "accepted (200 from the receiver), %,d spans, %s",
              spans,
              rate > 0 ? String.format(Locale.ROOT, "offered at %,.0f spans/s", rate) : "flat out"),
          String.format(
              Locale.ROOT,
              "%,.0f spans/s (%,d requests retried after 429/503)",
              accepted,
              refused.get()),
          cmd);
      results.add(
          "Pipeline (standalone, OTLP/HTTP protobuf+gzip → Kafka → DuckDB)",
          "sustained, export to queryable (all spans in the store)",
          String.format(Locale.ROOT, "%,.0f spans/s", sustained),
          "≥ 100,000 spans/s",
          sustained >= 100_000,
          cmd);
      results.add(
          "Pipeline (standalone, OTLP/HTTP protobuf+gzip → Kafka → DuckDB)",
          "export-to-queryable latency of marker chains during the load",
          markers.summary(),
          "p99 ≤ 2 s",
          markers.percentileMillis(99) <= 2_000,
          cmd);
      results.add(
          "Pipeline (standalone, OTLP/HTTP protobuf+gzip → Kafka → DuckDB)",
          "process CPU and memory during the run (server and load driver share the machine)",
          String.format(
              Locale.ROOT,
              "%.2f cores busy of %d, RSS %,d MiB",
              cores,
              Runtime.getRuntime().availableProcessors(),
              rss),
          cmd);

      // About 100,000 spans in the full run; a few hundred in a smoke run.
      bigChain(app, http, (int) Math.max(100, Math.min(50_000, totalSpans / 20)), cmd, results);

      double kafka = KafkaCeiling.measure(app.kafkaClient(), bodies);
      double duckDbCeiling = DuckDbCeiling.measure(dir, bodies);
      results.add(
          "Ceiling (same run, same broker, same payload bytes)",
          "raw Kafka produce + consume (acks=all, lz4, no decode)",
          String.format(Locale.ROOT, "%,.0f spans/s", kafka),
          cmd);
      results.add(
          "Ceiling (same run, same broker, same payload bytes)",
          "raw DuckDB Appender load of the same spans, normalized beforehand",
          String.format(Locale.ROOT, "%,.0f spans/s", duckDbCeiling),
          cmd);
      results.add(
          "Ceiling (same run, same broker, same payload bytes)",
          "pipeline throughput as a fraction of the raw Kafka ceiling",
          String.format(Locale.ROOT, "%.2f", sustained / kafka),
          cmd);
      // The store load is measured in the same process after the run, with its heap still full;
      // a ratio near or above 1 says the pipeline runs at the store's speed.
      results.add(
          "Ceiling (same run, same broker, same payload bytes)",
          "pipeline throughput as a fraction of the raw DuckDB load",
          String.format(Locale.ROOT, "%.2f", sustained / duckDbCeiling),
          cmd);
      zipkin(app, bodies, dir, sustained, cmd, results);
    }
  }

  /** Issue 16's baseline: a Kafka-fed Zipkin on the same broker, given the same spans. */
  private static void zipkin(
      Standalone app,
      List<RequestPool.Body> bodies,
      Path dir,
      double sustained,
      String cmd,
      Results results)
      throws Exception {
    Path jar = ZipkinBaseline.jar();
    if (jar == null) {
      results.note(
          "Zipkin baseline not measured: no -Dbench.zipkinJar (bench/run fetches"
              + " io.zipkin:zipkin-server:exec with mvn dependency:copy).");
      return;
    }
    System.out.println("pipeline: the same spans through a Kafka-fed Zipkin (" + jar + ")...");
    ZipkinBaseline.Outcome z = ZipkinBaseline.measure(jar, app.kafkaClient(), bodies, dir);
    String section = "Zipkin baseline (same run, same broker, same spans)";
    results.add(
        section,
        "Kafka-fed Zipkin ("
            + jar.getFileName()
            + ", in-memory storage, 4 consumer threads): first message produced to every span"
            + " accepted",
        String.format(
            Locale.ROOT,
            "%,.0f spans/s (%,d spans, %,d dropped)",
            z.spansPerSecond(),
            z.spans(),
            z.dropped()),
        cmd);
    double ratio = sustained / z.spansPerSecond();
    results.add(
        section,
        "AgentLedger pipeline (export → queryable on DuckDB) as a multiple of Zipkin",
        String.format(Locale.ROOT, "%.2f×", ratio),
        "≥ 6×",
        ratio >= 6,
        cmd);
  }

  /**
   * One big chain (an agent looping {@code loops} model and tool calls: about 2.3 spans a loop),
   * sent in requests of 5,000 spans, until its whole tree is served by {@code GET
   * /api/v1/chains/{traceId}}.
   */
  private static void bigChain(
      Standalone app, HttpClient http, int loops, String cmd, Results results) throws Exception {
    GeneratedChain chain =
        new WorkloadGenerator(WorkloadSpec.realistic().withShape(1, 0, loops), 77)
            .next(System.currentTimeMillis() * 1_000_000L);
    List<io.opentelemetry.proto.trace.v1.Span> spans = chain.spans();
    URI traces = app.tracesEndpoint();
    URI tree = app.apiBase().resolve("/api/v1/chains/" + chain.traceId());
    long start = System.nanoTime();
    for (int from = 0; from < spans.size(); from += 5_000) {
      List<GeneratedChain> part =
          List.of(
              new GeneratedChain(
                  chain.traceId(),
                  spans.subList(from, Math.min(spans.size(), from + 5_000)),
                  java.math.BigDecimal.ZERO,
                  0));
      byte[] body = RequestPool.gzip(WorkloadGenerator.request("big", part).toByteArray());
      while (post(http, traces, body) != 200) {
        Thread.sleep(50); // back off on 429/503
      }
    }
    long lastGet;
    while (true) {
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(tree).header("Authorization", "Bearer " + KEY).build(),
              HttpResponse.BodyHandlers.ofString());
      lastGet = System.nanoTime() - t;
      if (r.statusCode() == 200 && r.body().contains("\"spanCount\":" + spans.size() + ",")) {
        break;
      }
      Thread.sleep(200); // polling until the whole chain is stored
    }
    results.add(
        "Pipeline (standalone, OTLP/HTTP protobuf+gzip → Kafka → DuckDB)",
        String.format(
            Locale.ROOT,
            "one %,d-span chain: from its first export to its whole tree served",
            spans.size()),
        String.format(
            Locale.ROOT,
            "%.1f s (the last `GET /chains/{traceId}`, the whole tree: %.0f ms)",
            (System.nanoTime() - start) / 1e9,
            lastGet / 1e6),
        cmd);
  }

  /**
   * A standalone on a fresh {@code data} directory for one tenant sending flat out (the per-project
   * limits off, admission control at its default), with {@code more} settings on top.
   */
  static Standalone start(Path data, Map<String, String> more) throws Exception {
    deleteRecursively(data);
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "AGENTLEDGER_DATA_DIR", data.toString(),
                "AGENTLEDGER_API_KEYS", PROJECT + ":" + KEY + ",markers:" + MARKER_KEY,
                "AGENTLEDGER_HOST", "127.0.0.1",
                "AGENTLEDGER_OTLP_PORT", "0",
                "AGENTLEDGER_API_PORT", "0",
                "AGENTLEDGER_KAFKA_PORT", "0",
                // Measure the pipeline, not the per-project limits.
                "AGENTLEDGER_OTLP_PROJECT_CONCURRENCY", "0",
                "AGENTLEDGER_OTLP_PROJECT_RATE", "0",
                "AGENTLEDGER_OTLP_PROJECT_IN_FLIGHT_PERCENT", "100"));
    env.putAll(more);
    return Standalone.start(StandaloneConfig.from(env));
  }

  static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static int post(HttpClient http, URI traces, byte[] gzip) throws Exception {
    try {
      return post(http, traces, gzip, KEY);
    } catch (java.io.IOException e) {
      return -1; // a connection dropped under load: sent again, as an exporter retries
    }
  }

  static int post(HttpClient http, URI traces, byte[] gzip, String key) throws Exception {
    return http.send(
            HttpRequest.newBuilder(traces)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Posts like {@link #post}, sending again when the connection fails before an answer (as an OTLP
   * exporter retries): the JDK client may reuse a keep-alive connection the server has just closed
   * as idle ("header parser received no bytes"). Each such retry is counted in {@code errors}; a
   * connection that keeps failing for a minute is an error.
   */
  static int postRetryingConnection(
      HttpClient http, URI traces, byte[] gzip, String key, AtomicLong errors) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        return post(http, traces, gzip, key);
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        errors.incrementAndGet();
        Thread.sleep(50);
      }
    }
  }

  /**
   * Every 200 ms while the load runs, one fresh chain; the time until the store returns all of its
   * spans. Returns how many marker spans were sent.
   */
  static long markers(
      Standalone app, HttpClient http, URI traces, AtomicBoolean sending, Latencies out)
      throws Exception {
    return markers(app, http, traces, sending, out::add, new AtomicLong());
  }

  /**
   * Like {@link #markers(Standalone, HttpClient, URI, AtomicBoolean, Latencies)}, each latency (in
   * nanoseconds) given to {@code out}, connection failures retried and counted in {@code
   * connectionErrors}.
   */
  static long markers(
      Standalone app,
      HttpClient http,
      URI traces,
      AtomicBoolean sending,
      LongConsumer out,
      AtomicLong connectionErrors)
      throws Exception {
    // A seed of its own per loop: a loop seeded like the one before it would send that loop's
    // chains again, stored as duplicates, so a level would wait for spans that never count.
    WorkloadGenerator generator =
        new WorkloadGenerator(WorkloadSpec.realistic(), MARKER_SEEDS.getAndIncrement());
    long sentSpans = 0;
    while (sending.get()) {
      GeneratedChain chain = generator.next(System.currentTimeMillis() * 1_000_000L);
      byte[] body =
          RequestPool.gzip(WorkloadGenerator.request("marker", List.of(chain)).toByteArray());
      long sent = System.nanoTime();
      if (postRetryingConnection(http, traces, body, MARKER_KEY, connectionErrors) != 200) {
        Thread.sleep(50); // refused (429/503): back off, then a fresh marker
        continue;
      }
      sentSpans += chain.spans().size();
      while (app.store().chainSpans("markers", chain.traceId()).size() < chain.spans().size()) {
        Thread.sleep(5); // polling for the marker: the measurement itself
      }
      out.accept(System.nanoTime() - sent);
      Thread.sleep(200);
    }
    return sentSpans;
  }
}
