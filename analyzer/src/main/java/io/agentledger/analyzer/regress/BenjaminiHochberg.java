package io.agentledger.analyzer.regress;

import java.util.Arrays;
import java.util.Comparator;

/** Benjamini-Hochberg adjusted p-values (false discovery rate) for a family of tests. */
final class BenjaminiHochberg {

  private BenjaminiHochberg() {}

  /**
   * The adjusted p-value of each test, in the order given: {@code min over j >= rank of p(j) * m /
   * j}, capped at 1. A test is a discovery at FDR level q when its adjusted p is at most q.
   */
  static double[] adjust(double[] p) {
    int m = p.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
    double[] adjusted = new double[m];
    double running = 1.0;
    for (int r = m - 1; r >= 0; r--) {
      int i = order[r];
      running = Math.min(running, p[i] * m / (r + 1));
      adjusted[i] = Math.min(1.0, running);
    }
    return adjusted;
  }
}
