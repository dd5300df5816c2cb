package io.agentledger.bench.pipeline;

import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.ProcessUsage;
import io.agentledger.bench.report.Results;
import io.agentledger.standalone.Standalone;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The soak: the standalone's capacity measured flat out, then half of it offered for a long run (30
 * minutes by default) with admission control on; every sample interval the process's resident
 * memory, old generation after its last collection, threads (native ones included) and open file
 * descriptors, with the spans stored and marker freshness of the interval. Flat curves mean nothing
 * accumulates. The load generator runs in the same process (its few threads and its request buffers
 * are in the figures, constant over the run).
 */
public final class SoakBench {

  private static final String SECTION = "Soak (standalone at half of capacity)";

  private SoakBench() {}

  /** One sample of the process. */
  private record Sample(
      double minutes,
      long rssMiB,
      long oldGenMiB,
      long threads,
      long javaThreads,
      long openFiles,
      double storedPerSecond,
      Latencies markers) {}

  /**
   * @param capacitySpans spans sent flat out to measure capacity
   * @param seconds how long half of capacity is offered
   * @param sampleSeconds the interval between samples
   */
  public static void run(
      Path dir, long capacitySpans, int seconds, int sampleSeconds, Results results, String cmd)
      throws Exception {
    try (Standalone app = FreshnessBench.start(dir.resolve("soak"))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long start = System.currentTimeMillis() * 1_000_000L;
      // -Dbench.capacity=N takes the capacity a quiet run measured (the freshness part), so a
      // soak that shares the machine is still offered half of the real capacity.
      String given = System.getProperty("bench.capacity");
      double capacity =
          given != null
              ? Double.parseDouble(given)
              : FreshnessBench.capacity(app, http, capacitySpans, start, results, cmd);
      double rate = capacity / 2;
      System.out.printf(Locale.ROOT, "soak: %,.0f spans/s for %d s...%n", rate, seconds);
      io.micrometer.core.instrument.Counter stored =
          app.metrics().counter("agentledger.spans.stored");
      Window interval = new Window();
      List<Sample> samples = new ArrayList<>();
      long t0 = System.nanoTime();
      double[] storedAt = {stored.count()};
      long[] sampledAt = {t0};
      Runnable sample =
          () -> {
            long now = System.nanoTime();
            double s = stored.count();
            Sample x =
                new Sample(
                    (now - t0) / 60e9,
                    ProcessUsage.rssMiB(),
                    ProcessUsage.oldGenAfterGcMiB(),
                    ProcessUsage.threads(),
                    ManagementFactory.getThreadMXBean().getThreadCount(),
                    ProcessUsage.openFiles(),
                    (s - storedAt[0]) / Math.max(1e-9, (now - sampledAt[0]) / 1e9),
                    interval.swap());
            storedAt[0] = s;
            sampledAt[0] = now;
            synchronized (samples) {
              samples.add(x);
            }
            System.out.println("soak: " + row(x));
          };
      sample.run();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      FreshnessBench.Level all;
      try {
        sampler.scheduleAtFixedRate(sample, sampleSeconds, sampleSeconds, TimeUnit.SECONDS);
        all =
            FreshnessBench.offer(
                app,
                http,
                FreshnessBench.Load.of(new RequestPool.Source(200, 20, start, 100_000)),
                rate,
                seconds,
                interval::add);
      } finally {
        sampler.shutdownNow();
        sampler.awaitTermination(1, TimeUnit.MINUTES);
      }
      sample.run();
      List<Sample> rows;
      synchronized (samples) {
        rows = List.copyOf(samples);
      }
      for (Sample x : rows) {
        results.add(SECTION, String.format(Locale.ROOT, "at %.1f min", x.minutes()), row(x), cmd);
      }
      results.add(
          SECTION,
          String.format(Locale.ROOT, "%,.0f spans/s offered for %.0f min", rate, seconds / 60.0),
          String.format(
              Locale.ROOT,
              "%s; accepted %,.0f spans/s, %,d requests answered 429/503, %,d connection"
                  + " errors retried; resident memory %s MiB, threads %s, open files %s (min–max over"
                  + " the samples after the first minute)",
              all.markers().summary(),
              all.acceptedPerSecond(),
              all.refused(),
              all.connectionErrors(),
              range(rows, Sample::rssMiB),
              range(rows, Sample::threads),
              range(rows, Sample::openFiles)),
          cmd);
    }
  }

  private static String row(Sample x) {
    return String.format(
        Locale.ROOT,
        "RSS %,d MiB, old gen after GC %,d MiB, threads %d (Java %d), open files %d, stored"
            + " %,.0f spans/s, markers p50 %.0f ms p99 %.0f ms (%d)",
        x.rssMiB(),
        x.oldGenMiB(),
        x.threads(),
        x.javaThreads(),
        x.openFiles(),
        x.storedPerSecond(),
        x.markers().percentileMillis(50),
        x.markers().percentileMillis(99),
        x.markers().count());
  }

  private static String range(List<Sample> rows, java.util.function.ToLongFunction<Sample> f) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Sample x : rows) {
      if (x.minutes() >= 1) {
        min = Math.min(min, f.applyAsLong(x));
        max = Math.max(max, f.applyAsLong(x));
      }
    }
    return min > max ? "n/a" : min + "–" + max;
  }

  /** The marker latencies of the current sample interval. */
  private static final class Window {
    private Latencies current = new Latencies();

    synchronized void add(long nanos) {
      current.add(nanos);
    }

    /** This interval's latencies; a new interval starts. */
    synchronized Latencies swap() {
      Latencies done = current;
      current = new Latencies();
      return done;
    }
  }
}
