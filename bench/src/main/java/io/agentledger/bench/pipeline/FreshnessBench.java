package io.agentledger.bench.pipeline;

import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.Results;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Freshness under load with admission control on (the default {@code AGENTLEDGER_MAX_LAG_SPANS}):
 * the standalone's capacity is measured flat out, then load is offered at 50 %, 90 % and 150 % of
 * it, each for a while, and marker chains sent meanwhile give export-to-queryable latency
 * percentiles. Beyond capacity the receiver answers 429 (the clients back off) instead of letting
 * the backlog, and so the latency, grow.
 */
public final class FreshnessBench {

  private static final String PROJECT = "bench";
  private static final String KEY = "bench-key-0123456789abcdef";
  private static final String MARKER_KEY = "marker-key-0123456789abcdef";
  private static final int CLIENTS = 4;
  private static final double[] LEVELS = {0.5, 0.9, 1.5};
  private static final String SECTION = "Freshness (standalone, admission control on)";

  private FreshnessBench() {}

  /**
   * @param capacitySpans spans sent flat out to measure capacity
   * @param levelSeconds how long each load level is offered
   */
  public static void run(
      Path dir, long capacitySpans, int levelSeconds, Results results, String cmd)
      throws Exception {
    Path data = dir.resolve("freshness");
    PipelineBench.deleteRecursively(data);
    Map<String, String> env =
        Map.of(
            "AGENTLEDGER_DATA_DIR", data.toString(),
            "AGENTLEDGER_API_KEYS", PROJECT + ":" + KEY + ",markers:" + MARKER_KEY,
            "AGENTLEDGER_HOST", "127.0.0.1",
            "AGENTLEDGER_OTLP_PORT", "0",
            "AGENTLEDGER_API_PORT", "0",
            "AGENTLEDGER_KAFKA_PORT", "0",
            "AGENTLEDGER_OTLP_PROJECT_CONCURRENCY", "0",
            "AGENTLEDGER_OTLP_PROJECT_RATE", "0",
            "AGENTLEDGER_OTLP_PROJECT_IN_FLIGHT_PERCENT", "100");
    try (Standalone app = Standalone.start(StandaloneConfig.from(env))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      int round = 0;
      long start = System.currentTimeMillis() * 1_000_000L;
      List<RequestPool.Body> warm = RequestPool.prepare(200, 20, capacitySpans, start, round);
      round += 1_000;
      Level flatOut = offer(app, http, warm, 0, Integer.MAX_VALUE);
      double capacity = flatOut.storedPerSecond();
      results.add(
          SECTION,
          "capacity: flat out, export to queryable",
          String.format(
              Locale.ROOT,
              "%,.0f spans/s (%,d requests answered 429/503 and retried)",
              capacity,
              flatOut.refused()),
          cmd);
      for (double level : LEVELS) {
        double rate = level * capacity;
        long spans = (long) (rate * levelSeconds);
        List<RequestPool.Body> bodies = RequestPool.prepare(200, 20, spans, start, round);
        round += 1_000;
        System.out.printf(
            Locale.ROOT, "freshness: %.0f %% of capacity, %,.0f spans/s...%n", level * 100, rate);
        Level r = offer(app, http, bodies, rate, levelSeconds);
        results.add(
            SECTION,
            String.format(
                Locale.ROOT,
                "export to queryable at %.0f %% of capacity (%,.0f spans/s offered for %d s)",
                level * 100,
                rate,
                levelSeconds),
            String.format(
                Locale.ROOT,
                "%s; accepted %,.0f spans/s, %,d requests answered 429/503",
                r.markers().summary(),
                r.acceptedPerSecond(),
                r.refused()),
            "p99 ≤ 2 s",
            r.markers().percentileMillis(99) <= 2_000,
            cmd);
      }
    }
  }

  private record Level(
      Latencies markers, double acceptedPerSecond, double storedPerSecond, long refused) {}

  /**
   * Sends the bodies at {@code rate} spans/s (0: flat out) for at most {@code seconds}, with marker
   * chains every 200 ms; waits until everything accepted is stored.
   */
  private static Level offer(
      Standalone app, HttpClient http, List<RequestPool.Body> bodies, double rate, int seconds)
      throws Exception {
    URI traces = app.tracesEndpoint();
    io.micrometer.core.instrument.Counter stored =
        app.metrics().counter("agentledger.spans.stored");
    double storedBefore = stored.count();
    long[] spansBefore = new long[bodies.size()];
    for (int i = 1; i < bodies.size(); i++) {
      spansBefore[i] = spansBefore[i - 1] + bodies.get(i - 1).spans();
    }
    AtomicInteger next = new AtomicInteger();
    AtomicLong refused = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicBoolean sending = new AtomicBoolean(true);
    Latencies markers = new Latencies();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
    long t0 = System.nanoTime();
    long end = t0 + (long) seconds * 1_000_000_000L;
    Future<Long> markerLoop =
        clients.submit(() -> PipelineBench.markers(app, http, traces, sending, markers));
    List<Future<?>> senders = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      senders.add(
          clients.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < bodies.size() && System.nanoTime() < end;
                    i = next.getAndIncrement()) {
                  if (rate > 0) {
                    LockSupport.parkNanos(
                        t0 + (long) (spansBefore[i] * 1e9 / rate) - System.nanoTime());
                  }
                  while (PipelineBench.post(http, traces, bodies.get(i).gzip(), KEY) != 200) {
                    refused.incrementAndGet();
                    Thread.sleep(50); // back off as an exporter does on 429/503
                  }
                  accepted.addAndGet(bodies.get(i).spans());
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
    clients.shutdown();
    while (stored.count() - storedBefore < accepted.get() + markerSpans) {
      Thread.sleep(10); // polling for the end of the level
    }
    double queryableSeconds = (System.nanoTime() - t0) / 1e9;
    return new Level(
        markers, accepted.get() / acceptSeconds, accepted.get() / queryableSeconds, refused.get());
  }
}
