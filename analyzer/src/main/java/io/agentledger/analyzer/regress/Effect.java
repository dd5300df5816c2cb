package io.agentledger.analyzer.regress;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * How much a metric changed, after versus before, as a relative change of its typical value with a
 * percentile bootstrap interval (both sides resampled independently).
 *
 * <p>The typical value is the median; when a quarter or more of the runs before are zero (most runs
 * cost nothing, say), so that a resampled median could be zero, it is the mean, on both sides. For
 * a failure flag (0 or 1 a run) it is the share of failed runs, smoothed by half a run ({@code
 * (failures + 0.5) / (runs + 1)}) so a rise from no failures is a finite change.
 *
 * @param beforeMedian the median before (the share of failed runs for a failure flag)
 * @param afterMedian the median after (the share of failed runs for a failure flag)
 * @param effect relative change of the typical value ({@code 0.3} = 30 % higher)
 * @param low lower bound of the 95 % interval of the effect
 * @param high upper bound of the 95 % interval of the effect
 */
record Effect(double beforeMedian, double afterMedian, double effect, double low, double high) {

  /**
   * Estimates the change, or null when the typical value before is zero by every measure (nothing
   * to be relative to).
   *
   * @param binary true for failure flags (values 0 and 1)
   * @param resamples bootstrap resamples (0: the interval is the point)
   * @param seed seeds the resampling, so one change gets the same interval every cycle
   */
  static @Nullable Effect estimate(
      double[] before, double[] after, boolean binary, int resamples, long seed) {
    double[] b = before.clone();
    double[] a = after.clone();
    Arrays.sort(b);
    Arrays.sort(a);
    Center center;
    if (binary) {
      center = Center.RATE;
    } else if (b[b.length / 4] > 0) {
      center = Center.MEDIAN;
    } else if (mean(b) > 0) {
      center = Center.MEAN;
    } else {
      return null;
    }
    double effect = center.of(a) / center.of(b) - 1;
    double low = effect;
    double high = effect;
    if (resamples > 0) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[] draws = new double[resamples];
      int[] countsB = new int[b.length];
      int[] countsA = new int[a.length];
      for (int r = 0; r < resamples; r++) {
        double typicalAfter = center.ofResample(a, countsA, rng);
        double typicalBefore = center.ofResample(b, countsB, rng);
        // Only a mean of all-zero draws is zero: a change from nothing, as large as can be.
        draws[r] = typicalBefore > 0 ? typicalAfter / typicalBefore - 1 : Double.MAX_VALUE;
      }
      Arrays.sort(draws);
      low = draws[(int) Math.floor(0.025 * (resamples - 1))];
      high = draws[(int) Math.ceil(0.975 * (resamples - 1))];
    }
    double beforeTypical = binary ? mean(b) : median(b);
    double afterTypical = binary ? mean(a) : median(a);
    return new Effect(beforeTypical, afterTypical, effect, low, high);
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n == 0 ? Double.NaN : (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? Double.NaN : sum / values.length;
  }

  /** The typical value of a sample, and of a bootstrap resample of it. */
  private enum Center {
    MEDIAN,
    MEAN,
    RATE;

    double of(double[] sorted) {
      return switch (this) {
        case MEDIAN -> median(sorted);
        case MEAN -> mean(sorted);
        case RATE -> (mean(sorted) * sorted.length + 0.5) / (sorted.length + 1);
      };
    }

    /**
     * Draws {@code n} values with replacement from the sorted sample as counts per index, which
     * gives the median in one pass without sorting the resample.
     */
    double ofResample(double[] sorted, int[] counts, SplittableRandom rng) {
      int n = sorted.length;
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[rng.nextInt(n)]++;
      }
      if (this != MEDIAN) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += counts[i] * sorted[i];
        }
        return this == MEAN ? sum / n : (sum + 0.5) / (n + 1);
      }
      int lowRank = (n - 1) / 2;
      int highRank = n / 2;
      double lowValue = Double.NaN;
      int seen = 0;
      for (int i = 0; i < n; i++) {
        if (counts[i] == 0) {
          continue;
        }
        seen += counts[i];
        if (Double.isNaN(lowValue) && seen > lowRank) {
          lowValue = sorted[i];
        }
        if (seen > highRank) {
          return (lowValue + sorted[i]) / 2;
        }
      }
      throw new IllegalStateException("unreachable: " + n + " draws counted");
    }
  }
}
