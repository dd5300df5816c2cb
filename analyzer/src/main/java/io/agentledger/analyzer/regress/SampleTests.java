package io.agentledger.analyzer.regress;

import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Two-sample tests of "the runs after differ from the runs before", two-sided, returning p-values.
 */
final class SampleTests {

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  private SampleTests() {}

  /**
   * Mann-Whitney U (normal approximation with the tie correction, which commons-math3's
   * MannWhitneyUTest leaves out: without it, metrics with many equal values, such as steps and
   * tokens, lose most of their power). A shift of the typical value.
   */
  static double mannWhitney(double[] x, double[] y) {
    int n1 = x.length;
    int n2 = y.length;
    double[] all = new double[n1 + n2];
    System.arraycopy(x, 0, all, 0, n1);
    System.arraycopy(y, 0, all, n1, n2);
    double[] ranks = Ranks.average(all);
    double rankSumX = 0;
    for (int i = 0; i < n1; i++) {
      rankSumX += ranks[i];
    }
    double u = rankSumX - n1 * (n1 + 1) / 2.0;
    double n = n1 + n2;
    double[] sorted = all.clone();
    java.util.Arrays.sort(sorted);
    double ties = Ranks.tieSum(sorted);
    double variance = (double) n1 * n2 / 12.0 * ((n + 1) - ties / (n * (n - 1)));
    if (variance <= 0) {
      return 1.0; // every value equal
    }
    double z = (Math.abs(u - n1 * n2 / 2.0) - 0.5) / Math.sqrt(variance); // continuity corrected
    return Math.min(1.0, 2 * NORMAL.cumulativeProbability(-Math.max(0, z)));
  }

  /**
   * Two-sample Kolmogorov-Smirnov (commons-math3: exact below 10,000 pairs, else asymptotic); a
   * change of shape that leaves the median alone (a slow tail, a second mode). Ties in small
   * samples are broken by a seeded jitter, so the answer is the same every cycle.
   */
  static double kolmogorovSmirnov(double[] x, double[] y) {
    return new KolmogorovSmirnovTest(new Well19937c(42)).kolmogorovSmirnovTest(x, y);
  }

  /**
   * The smaller p of Mann-Whitney and Kolmogorov-Smirnov, Bonferroni-corrected for taking the
   * smaller: MWU is weak on changes of spread, KS on discrete values (Chromium Pinpoint pairs
   * them).
   */
  static double shiftOrShape(double[] x, double[] y) {
    return Math.min(1.0, 2 * Math.min(mannWhitney(x, y), kolmogorovSmirnov(x, y)));
  }

  /**
   * Fisher's exact test of two proportions (failed runs before and after), two-sided: the sum of
   * the probabilities of every table no more likely than the observed one.
   */
  static double fisherExact(int failuresBefore, int runsBefore, int failuresAfter, int runsAfter) {
    int failures = failuresBefore + failuresAfter;
    int runs = runsBefore + runsAfter;
    if (failures == 0 || failures == runs) {
      return 1.0;
    }
    HypergeometricDistribution h = new HypergeometricDistribution(null, runs, failures, runsAfter);
    double observed = h.probability(failuresAfter);
    double p = 0;
    int low = Math.max(0, runsAfter - (runs - failures));
    int high = Math.min(failures, runsAfter);
    for (int k = low; k <= high; k++) {
      double pk = h.probability(k);
      if (pk <= observed * (1 + 1e-7)) {
        p += pk;
      }
    }
    return Math.min(1.0, p);
  }
}
