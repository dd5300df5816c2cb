package io.agentledger.bench.store;

import io.agentledger.bench.workload.SpanPool;
import io.agentledger.bench.workload.WorkloadSpec;
import io.agentledger.store.SpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * DuckDB append throughput per CPU second of the appending thread (and of the whole process), so
 * that a figure taken on a machine shared with a dozen builds still says what one core does: the
 * wall-clock rate of {@link StoreBench} moves with the load, CPU time far less. Appends the same
 * realistic pool twice (a warm-up store, then the measured one) in the collector's batches.
 *
 * <pre>
 * taskset -c 0 java -cp "bench/target/classes:bench/target/lib/*" io.agentledger.bench.store.AppendCpu SPANS DIR
 * </pre>
 */
public final class AppendCpu {

  private AppendCpu() {}

  public static void main(String[] args) throws Exception {
    int poolSpans = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    Files.createDirectories(dir);
    var threads = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long now = System.currentTimeMillis() * 1_000_000L;
    SpanPool pool =
        SpanPool.generate(
            WorkloadSpec.realistic(), 1, poolSpans, "bench", now - Duration.ofHours(48).toNanos());
    int batch = 20_000; // the collector's batch size
    for (String name : new String[] {"warm", "measured"}) {
      Path file = dir.resolve(name + ".duckdb");
      Files.deleteIfExists(file);
      Files.deleteIfExists(Path.of(file + ".wal"));
      try (SpanStore store = DuckDbSpanStore.open(file, Clock.systemUTC())) {
        long thread0 = threads.getCurrentThreadCpuTime();
        long process0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        for (int from = 0; from < pool.size(); from += batch) {
          store.append(pool.round(0, 0, from, Math.min(pool.size(), from + batch)));
        }
        double thread = (threads.getCurrentThreadCpuTime() - thread0) / 1e9;
        double process = (os.getProcessCpuTime() - process0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s: %,d spans; appending thread CPU %.2f s = %,.0f spans per CPU-s;"
                + " process CPU %.2f s = %,.0f spans per CPU-s; wall %.1f s%n",
            name,
            pool.size(),
            thread,
            pool.size() / thread,
            process,
            pool.size() / process,
            wall);
      }
      System.out.printf(
          Locale.ROOT,
          "%s: %,.0f bytes/span on disk (closed, checkpointed)%n",
          name,
          (double) Files.size(file) / pool.size());
    }
  }
}
