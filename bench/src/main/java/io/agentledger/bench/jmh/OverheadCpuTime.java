package io.agentledger.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link InstrumentationOverheadBenchmark}'s operations timed by the benchmark thread's CPU time
 * rather than wall time, interleaved round by round: on a machine shared by other builds the wall
 * time of a sub-microsecond operation measures the scheduler, while the thread's own CPU time still
 * measures the operation. Prints the median per-operation CPU time of each and the ratios, and the
 * bytes each operation allocates: the garbage collector's work runs on its own threads, so the CPU
 * time of the benchmark thread does not include collecting what an operation allocated.
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" io.agentledger.bench.jmh.OverheadCpuTime [rounds] [opsPerRound]
 * </pre>
 */
public final class OverheadCpuTime {

  private OverheadCpuTime() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    InstrumentationOverheadBenchmark b = new InstrumentationOverheadBenchmark();
    b.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.ThreadMXBean allocations =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    String[] names = {
      "plainOtelSdk",
      "agentLedgerInstrumentation",
      "agentLedgerAllFeatures",
      "plainOtelSdkSameAttributes"
    };
    @SuppressWarnings("unchecked")
    Supplier<Object>[] ops4 =
        new Supplier[] {
          b::plainOtelSdk,
          b::agentLedgerInstrumentation,
          b::agentLedgerAllFeatures,
          b::plainOtelSdkSameAttributes
        };
    int n = ops4.length;
    double[][] nsPerOp = new double[n][rounds];
    double[][] bytesPerOp = new double[n][rounds];
    @Nullable Object sink = null;
    for (int warm = 0; warm < 5; warm++) { // JIT warm-up, not measured
      for (Supplier<Object> op : ops4) {
        for (int i = 0; i < ops; i++) {
          sink = op.get();
        }
      }
    }
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        long b0 = allocations.getCurrentThreadAllocatedBytes();
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
          sink = ops4[k].get();
        }
        nsPerOp[k][r] = (threads.getCurrentThreadCpuTime() - t0) / (double) ops;
        bytesPerOp[k][r] = (allocations.getCurrentThreadAllocatedBytes() - b0) / (double) ops;
      }
    }
    b.tearDown();
    double plain = median(nsPerOp[0]);
    for (int k = 0; k < n; k++) {
      double m = median(nsPerOp[k]);
      System.out.printf(
          Locale.ROOT,
          "%-28s median %.3f µs/op CPU (p25 %.3f, p75 %.3f), ratio to plain %.2f, %.0f B/op%n",
          names[k],
          m / 1_000,
          quantile(nsPerOp[k], 0.25) / 1_000,
          quantile(nsPerOp[k], 0.75) / 1_000,
          m / plain,
          median(bytesPerOp[k]));
    }
    System.out.printf(
        Locale.ROOT,
        "agentLedgerAllFeatures to plainOtelSdkSameAttributes (the same span): ratio %.2f%n",
        median(nsPerOp[2]) / median(nsPerOp[3]));
    System.out.println(sink == null ? "" : "(" + rounds + " rounds of " + ops + " ops each)");
  }

  private static double median(double[] v) {
    return quantile(v, 0.5);
  }

  private static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  }
}
