package io.agentledger.analyzer.regress;

import java.util.Arrays;

/** Ranks with ties averaged, on primitive arrays (commons-math3's ranking boxes every value). */
final class Ranks {

  private Ranks() {}

  /** The rank of each value, 1 to n, in the order given; equal values share their mean rank. */
  static double[] average(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] ranks = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      int first = firstIndex(sorted, values[i]);
      int last = lastIndex(sorted, values[i]);
      ranks[i] = (first + last) / 2.0 + 1;
    }
    return ranks;
  }

  /** The sizes of the groups of equal values (each {@code t} contributes {@code t³ − t}). */
  static double tieSum(double[] sorted) {
    double ties = 0;
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      double t = j - i;
      ties += t * t * t - t;
      i = j;
    }
    return ties;
  }

  private static int firstIndex(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int lastIndex(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }
}
