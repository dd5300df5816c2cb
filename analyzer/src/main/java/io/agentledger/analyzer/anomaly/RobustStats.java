package io.agentledger.analyzer.anomaly;

import java.util.Arrays;

/** Order statistics on samples: median, quantiles, median absolute deviation. */
final class RobustStats {

  private RobustStats() {}

  /** The values sorted, in a new array. */
  static double[] sorted(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  /** The median of sorted values (the mean of the middle two for an even count). */
  static double median(double[] sorted) {
    return quantile(sorted, 0.5);
  }

  /** The q-quantile of sorted values, linearly interpolated between order statistics (type 7). */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The median absolute deviation from {@code median}, unscaled. */
  static double mad(double[] values, double median) {
    double[] deviations = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      deviations[i] = Math.abs(values[i] - median);
    }
    Arrays.sort(deviations);
    return median(deviations);
  }
}
