package io.agentledger.analyzer.regress;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The most likely point where a series changed distribution, and whether it is more than chance:
 * E-divisive (Matteson and James 2014, as in MongoDB's signal-processing-algorithms and Apache
 * Otava) with a permutation test.
 *
 * <p>The energy statistic {@code Q(τ) = m·k/(m+k) · (2/(m·k)·Σ|x−y| − Σ|x−x'|/C(m,2) −
 * Σ|y−y'|/C(k,2))} is scanned over every split τ leaving {@code minSize} points on each side. It is
 * computed on the series' ranks, so a few huge runs do not dominate it, and incrementally (a
 * Fenwick tree of the left side's values), so one scan is O(n log n) rather than O(n²). The p-value
 * is the share of shuffled series whose best split scores at least as high, stopped early once
 * {@value #ENOUGH_EXCEEDANCES} shuffles have (Besag and Clifford's sequential test), so a series
 * with no change costs a few dozen scans.
 */
final class ChangePoint {

  static final int ENOUGH_EXCEEDANCES = 20;

  /**
   * A change point.
   *
   * @param index the first point after the change
   * @param statistic the energy statistic there
   * @param pValue the permutation test's p-value
   */
  record Split(int index, double statistic, double pValue) {}

  private ChangePoint() {}

  /**
   * The best split of {@code series} (in time order) and its p-value; empty when the series is too
   * short or constant.
   *
   * @param minSize points at least on each side
   * @param permutations most shuffles for the p-value (its floor is {@code 1/(permutations+1)})
   * @param seed seeds the shuffles, so one series gets the same answer every cycle
   */
  static Optional<Split> find(double[] series, int minSize, int permutations, long seed) {
    int n = series.length;
    if (minSize < 1 || n < 2 * minSize) {
      return Optional.empty();
    }
    Scan scan = new Scan(Ranks.average(series));
    if (scan.total == 0) {
      return Optional.empty(); // every value equal
    }
    double[] best = scan.best(scan.positions, minSize);
    int exceed = 0;
    int done = 0;
    SplittableRandom rng = new SplittableRandom(seed);
    int[] shuffled = scan.positions.clone();
    while (done < permutations && exceed < ENOUGH_EXCEEDANCES) {
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
      }
      done++;
      if (scan.best(shuffled, minSize)[1] >= best[1] * (1 - 1e-12)) {
        exceed++;
      }
    }
    double p = exceed >= ENOUGH_EXCEEDANCES ? (double) exceed / done : (exceed + 1.0) / (done + 1);
    return Optional.of(new Split((int) best[0], best[1], p));
  }

  /** What one scan needs about the values, whatever their order: computed once per series. */
  private static final class Scan {
    private final double[] distinct; // sorted distinct values; a point is its index in here
    private final int[] positions; // each point of the series, in order, as an index in distinct
    private final double total; // sum of |a - b| over all pairs
    private final double[] toAll; // sum of |v - x| over all points x, per distinct value v
    private final int n;

    Scan(double[] values) {
      n = values.length;
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int d = 0;
      double[] unique = new double[n];
      int[] multiplicity = new int[n];
      for (int i = 0; i < n; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          unique[d++] = sorted[i];
        }
        multiplicity[d - 1]++;
      }
      distinct = Arrays.copyOf(unique, d);
      positions = new int[n];
      for (int i = 0; i < n; i++) {
        positions[i] = Arrays.binarySearch(distinct, values[i]);
      }
      double sumAll = 0;
      for (double v : sorted) {
        sumAll += v;
      }
      toAll = new double[d];
      double sumBelow = 0;
      int below = 0;
      double twice = 0;
      for (int k = 0; k < d; k++) {
        double v = distinct[k];
        int here = multiplicity[k];
        int above = n - below - here;
        double sumAbove = sumAll - sumBelow - v * here;
        toAll[k] = v * below - sumBelow + sumAbove - v * above;
        twice += here * toAll[k];
        below += here;
        sumBelow += v * here;
      }
      total = twice / 2;
    }

    /** {@code {index, statistic}} of the best split of the points in this order. */
    double[] best(int[] order, int minSize) {
      long[] count = new long[distinct.length + 1];
      double[] sum = new double[distinct.length + 1];
      double withinLeft = 0;
      double withinRight = total;
      double sumLeft = 0;
      double bestQ = Double.NEGATIVE_INFINITY;
      int bestIndex = -1;
      for (int t = 1; t < n; t++) {
        int pos = order[t - 1];
        double v = distinct[pos];
        int m = t - 1; // points on the left before v joins
        long countUpTo = 0;
        double sumUpTo = 0;
        for (int i = pos + 1; i > 0; i -= i & -i) {
          countUpTo += count[i];
          sumUpTo += sum[i];
        }
        double toLeft = v * countUpTo - sumUpTo + (sumLeft - sumUpTo) - v * (m - countUpTo);
        withinLeft += toLeft;
        withinRight -= toAll[pos] - toLeft;
        for (int i = pos + 1; i <= distinct.length; i += i & -i) {
          count[i]++;
          sum[i] += v;
        }
        sumLeft += v;
        int left = t;
        int right = n - t;
        if (left < minSize || right < minSize) {
          continue;
        }
        double between = total - withinLeft - withinRight;
        double e =
            2 * between / ((double) left * right)
                - (left > 1 ? withinLeft / (left * (left - 1) / 2.0) : 0)
                - (right > 1 ? withinRight / (right * (right - 1) / 2.0) : 0);
        double q = (double) left * right / n * e;
        if (q > bestQ) {
          bestQ = q;
          bestIndex = t;
        }
      }
      return new double[] {bestIndex, bestQ};
    }
  }
}
