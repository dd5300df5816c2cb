package io.agentledger.bench.report;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised as percentiles in milliseconds. */
public final class Latencies {

  private long[] samples = new long[1024];
  private int n;

  public synchronized void add(long nanos) {
    if (n == samples.length) {
      samples = Arrays.copyOf(samples, n * 2);
    }
    samples[n++] = nanos;
  }

  public synchronized int count() {
    return n;
  }

  /** The {@code p}-th percentile (0–100, nearest rank) in milliseconds. */
  public synchronized double percentileMillis(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
  }

  public String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%d samples)",
        percentileMillis(50),
        percentileMillis(95),
        percentileMillis(99),
        count());
  }
}
