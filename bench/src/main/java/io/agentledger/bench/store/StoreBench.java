package io.agentledger.bench.store;

import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.ProcessUsage;
import io.agentledger.bench.report.Results;
import io.agentledger.bench.workload.SpanPool;
import io.agentledger.bench.workload.WorkloadSpec;
import io.agentledger.store.SpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The DuckDB store's figures (store issue): append throughput with realistic GenAI spans, and chain
 * lookup latency once {@code totalSpans} are stored. Leaves the filled store file for the API
 * benchmark.
 */
public final class StoreBench {

  public static final String PROJECT = "bench";
  private static final int BATCH = 20_000; // the collector's batch size

  /**
   * What was loaded, for the API benchmark.
   *
   * @param rounds how many times the pool was replayed
   * @param windowEndNanos spans lie in the 48 hours before this
   */
  public record Loaded(Path file, SpanPool pool, int rounds, long windowEndNanos) {}

  private static final String LOADED = "store-loaded.properties";

  /**
   * What an earlier {@link #run} in {@code dir} loaded (the pool is generated again, same seed).
   */
  public static Loaded loaded(Path dir) throws java.io.IOException {
    java.util.Properties p = new java.util.Properties();
    try (var in = java.nio.file.Files.newInputStream(dir.resolve(LOADED))) {
      p.load(in);
    }
    long windowEnd = Long.parseLong(p.getProperty("windowEndNanos"));
    SpanPool pool =
        SpanPool.generate(
            WorkloadSpec.realistic(),
            1,
            Integer.parseInt(p.getProperty("poolSpans")),
            PROJECT,
            windowEnd - Duration.ofHours(48).toNanos());
    return new Loaded(
        dir.resolve(p.getProperty("file")),
        pool,
        Integer.parseInt(p.getProperty("rounds")),
        windowEnd);
  }

  private StoreBench() {}

  private static void deleteIfExists(Path file) {
    try {
      java.nio.file.Files.deleteIfExists(file);
      java.nio.file.Files.deleteIfExists(Path.of(file + ".wal"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long fileBytes(Path file) {
    try {
      Path wal = Path.of(file + ".wal");
      return java.nio.file.Files.size(file)
          + (java.nio.file.Files.exists(wal) ? java.nio.file.Files.size(wal) : 0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static Loaded run(Path dir, long totalSpans, int poolSpans, Results results, String cmd) {
    long now = System.currentTimeMillis() * 1_000_000L;
    long windowStart = now - Duration.ofHours(48).toNanos();
    System.out.printf(Locale.ROOT, "store: generating %,d realistic spans...%n", poolSpans);
    SpanPool pool = SpanPool.generate(WorkloadSpec.realistic(), 1, poolSpans, PROJECT, windowStart);
    int rounds = (int) Math.max(1, (totalSpans + pool.size() - 1) / pool.size());
    long shiftPerRound = Duration.ofHours(48).toNanos() / rounds;

    Path file = dir.resolve("bench-store.duckdb");
    deleteIfExists(file);
    deleteIfExists(dir.resolve("warm.duckdb"));
    // Warm the JIT on a throwaway store, so the measured run is the store, not the compiler.
    try (SpanStore warm = DuckDbSpanStore.open(dir.resolve("warm.duckdb"), Clock.systemUTC())) {
      for (int from = 0; from < Math.min(pool.size(), 60_000); from += BATCH) {
        warm.append(pool.round(0, 0, from, Math.min(pool.size(), from + BATCH)));
      }
    }
    int poolBatches = (pool.size() + BATCH - 1) / BATCH;
    try (SpanStore store = DuckDbSpanStore.open(file, Clock.systemUTC())) {
      ProcessUsage usage = new ProcessUsage();
      long start = System.nanoTime();
      for (int from = 0; from < pool.size(); from += BATCH) {
        store.append(pool.round(0, 0, from, Math.min(pool.size(), from + BATCH)));
      }
      double rate = pool.size() / ((System.nanoTime() - start) / 1e9);
      results.add(
          "Store (DuckDB)",
          String.format(
              Locale.ROOT,
              "append, %,d spans into an empty store (batches of %,d)",
              pool.size(),
              BATCH),
          String.format(Locale.ROOT, "%,.0f spans/s (%.2f cores busy)", rate, usage.coresUsed()),
          "≥ 150,000 spans/s on one core",
          rate >= 150_000,
          cmd);
    }
    // Closed (checkpointed, the WAL folded in): what the pool's spans take on disk.
    results.add(
        "Store (DuckDB)",
        String.format(Locale.ROOT, "bytes on disk per span, %,d spans stored", pool.size()),
        String.format(Locale.ROOT, "%,.0f bytes/span", (double) fileBytes(file) / pool.size()),
        cmd);
    long loaded = (long) pool.size() * rounds;
    if (rounds > 1) {
      System.out.printf(Locale.ROOT, "store: replicating to %,d spans...%n", loaded);
      StoreFill.replicate(file, rounds, poolBatches, shiftPerRound);
    }
    try (SpanStore store = DuckDbSpanStore.open(file, Clock.systemUTC())) {
      if (rounds > 1) {
        // Appending at scale: one more round into the full store.
        ProcessUsage usage = new ProcessUsage();
        long start = System.nanoTime();
        for (int from = 0; from < pool.size(); from += BATCH) {
          store.append(
              pool.round(
                  rounds, rounds * shiftPerRound, from, Math.min(pool.size(), from + BATCH)));
        }
        double rate = pool.size() / ((System.nanoTime() - start) / 1e9);
        loaded += pool.size();
        results.add(
            "Store (DuckDB)",
            String.format(
                Locale.ROOT,
                "append, %,d more spans into a store holding %,d",
                pool.size(),
                loaded - pool.size()),
            String.format(Locale.ROOT, "%,.0f spans/s (%.2f cores busy)", rate, usage.coresUsed()),
            "≥ 150,000 spans/s on one core",
            rate >= 150_000,
            cmd);
        rounds++;
      }
      SplittableRandom random = new SplittableRandom(7);
      Latencies lookups = new Latencies();
      int samples = 2_000;
      for (int i = 0; i < samples + 200; i++) {
        String trace =
            SpanPool.traceId(
                pool.traceIds().get(random.nextInt(pool.traceIds().size())),
                random.nextInt(rounds));
        long t0 = System.nanoTime();
        int n = store.chainSpans(PROJECT, trace).size();
        long took = System.nanoTime() - t0;
        if (n == 0) {
          throw new IllegalStateException("chain " + trace + " not found");
        }
        if (i >= 200) { // the first 200 warm caches and the JIT
          lookups.add(took);
        }
      }
      results.add(
          "Store (DuckDB)",
          String.format(Locale.ROOT, "chain lookup (`chainSpans`) with %,d spans stored", loaded),
          lookups.summary(),
          "p95 ≤ 20 ms",
          lookups.percentileMillis(95) <= 20,
          cmd);
      java.util.Properties p = new java.util.Properties();
      p.setProperty("file", file.getFileName().toString());
      p.setProperty("poolSpans", Integer.toString(poolSpans));
      p.setProperty("rounds", Integer.toString(rounds));
      p.setProperty("windowEndNanos", Long.toString(now));
      try (var out = java.nio.file.Files.newOutputStream(dir.resolve(LOADED))) {
        p.store(out, "written by StoreBench");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return new Loaded(file, pool, rounds, now);
    }
  }
}
