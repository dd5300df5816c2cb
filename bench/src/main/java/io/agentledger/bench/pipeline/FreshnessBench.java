package io.agentledger.bench.pipeline;

import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.Results;
import io.agentledger.standalone.Standalone;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

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
    try (Standalone app = start(dir.resolve("freshness"))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      int round = 0;
      long start = System.currentTimeMillis() * 1_000_000L;
      double capacity = capacity(app, http, capacitySpans, start, results, cmd);
      round += 1_000;
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
                "%s; accepted %,.0f spans/s, %,d requests answered 429/503, %,d connection"
                    + " errors retried",
                r.markers().summary(),
                r.acceptedPerSecond(),
                r.refused(),
                r.connectionErrors()),
            "p99 ≤ 2 s",
            r.markers().percentileMillis(99) <= 2_000,
            cmd);
      }
    }
  }

  /** A standalone on a fresh {@code data} directory, admission control at its default. */
  static Standalone start(Path data) throws Exception {
    return PipelineBench.start(data, Map.of());
  }

  /** Capacity: {@code spans} sent flat out, export to queryable, in spans/s. */
  static double capacity(
      Standalone app, HttpClient http, long spans, long startNanos, Results results, String cmd)
      throws Exception {
    List<RequestPool.Body> warm = RequestPool.prepare(200, 20, spans, startNanos, 0);
    Level flatOut = offer(app, http, warm, 0, Integer.MAX_VALUE);
    double capacity = flatOut.storedPerSecond();
    results.add(
        SECTION,
        "capacity: flat out, export to queryable",
        String.format(
            Locale.ROOT,
            "%,.0f spans/s (%,d requests answered 429/503 and retried, %,d connection errors"
                + " retried)",
            capacity,
            flatOut.refused(),
            flatOut.connectionErrors()),
        cmd);
    return capacity;
  }

  /** What a load run sends: request {@code i} and the spans before it (for pacing). */
  interface Load {
    long requests();

    RequestPool.Body body(long i);

    long spansBefore(long i);

    /** Prepared requests. */
    static Load of(List<RequestPool.Body> bodies) {
      long[] before = new long[bodies.size()];
      for (int i = 1; i < bodies.size(); i++) {
        before[i] = before[i - 1] + bodies.get(i - 1).spans();
      }
      return new Load() {
        @Override
        public long requests() {
          return bodies.size();
        }

        @Override
        public RequestPool.Body body(long i) {
          return bodies.get((int) i);
        }

        @Override
        public long spansBefore(long i) {
          return before[(int) i];
        }
      };
    }

    /** Requests made as they are sent, without end (the run's duration bounds it). */
    static Load of(RequestPool.Source source) {
      return new Load() {
        @Override
        public long requests() {
          return Long.MAX_VALUE;
        }

        @Override
        public RequestPool.Body body(long i) {
          return source.body(i);
        }

        @Override
        public long spansBefore(long i) {
          return source.spansBefore(i);
        }
      };
    }
  }

  record Level(
      Latencies markers,
      double acceptedPerSecond,
      double storedPerSecond,
      long refused,
      long connectionErrors) {}

  private static Level offer(
      Standalone app, HttpClient http, List<RequestPool.Body> bodies, double rate, int seconds)
      throws Exception {
    return offer(app, http, Load.of(bodies), rate, seconds, nanos -> {});
  }

  /**
   * Sends the load at {@code rate} spans/s (0: flat out) for at most {@code seconds}, with marker
   * chains every 200 ms (each latency also given to {@code eachMarker}); waits until everything
   * accepted is stored. Every sender has finished before this returns or throws, so the caller may
   * close the standalone right after (the part once crashed closing it under a sender still in
   * flight).
   */
  static Level offer(
      Standalone app, HttpClient http, Load load, double rate, int seconds, LongConsumer eachMarker)
      throws Exception {
    Latencies markers = new Latencies();
    URI traces = app.tracesEndpoint();
    io.micrometer.core.instrument.Counter stored =
        app.metrics().counter("agentledger.spans.stored");
    double storedBefore = stored.count();
    AtomicLong next = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong connectionErrors = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicBoolean sending = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
    long t0 = System.nanoTime();
    long end = t0 + (long) seconds * 1_000_000_000L;
    try {
      Future<Long> markerLoop =
          clients.submit(
              () ->
                  PipelineBench.markers(
                      app,
                      http,
                      traces,
                      sending,
                      nanos -> {
                        markers.add(nanos);
                        eachMarker.accept(nanos);
                      },
                      connectionErrors));
      List<Future<?>> senders = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        senders.add(
            clients.submit(
                () -> {
                  for (long i = next.getAndIncrement();
                      i < load.requests() && System.nanoTime() < end && sending.get();
                      i = next.getAndIncrement()) {
                    if (rate > 0) {
                      LockSupport.parkNanos(
                          t0 + (long) (load.spansBefore(i) * 1e9 / rate) - System.nanoTime());
                    }
                    RequestPool.Body body = load.body(i);
                    while (PipelineBench.postRetryingConnection(
                            http, traces, body.gzip(), KEY, connectionErrors)
                        != 200) {
                      refused.incrementAndGet();
                      Thread.sleep(50); // back off as an exporter does on 429/503
                    }
                    accepted.addAndGet(body.spans());
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
      long deadline = System.nanoTime() + 600_000_000_000L;
      while (stored.count() - storedBefore < accepted.get() + markerSpans) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "%,.0f of %,d accepted spans stored after 10 minutes",
                  stored.count() - storedBefore,
                  accepted.get() + markerSpans));
        }
        Thread.sleep(10); // polling for the end of the level
      }
      double queryableSeconds = (System.nanoTime() - t0) / 1e9;
      return new Level(
          markers,
          accepted.get() / acceptSeconds,
          accepted.get() / queryableSeconds,
          refused.get(),
          connectionErrors.get());
    } finally {
      sending.set(false);
      clients.shutdownNow();
      if (!clients.awaitTermination(2, TimeUnit.MINUTES)) {
        System.err.println("freshness: a client did not stop within 2 minutes");
      }
    }
  }
}
