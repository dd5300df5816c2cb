package io.agentledger.analyzer.anomaly;

import io.agentledger.store.Anomaly;

/**
 * The band of usual values of a baseline sample, by robust statistics (Iglewicz and Hoaglin's
 * modified z-score: {@code 0.6745 · (x − median) / MAD}, anomalous above {@code threshold}, 3.5 by
 * default), widened to the {@link Floors}.
 *
 * <p>Costs, tokens and latencies are skewed: their statistics are taken on {@code ln(x + ε)} (ε a
 * hundredth of the absolute floor), where a log-normal spread is symmetric; the floors, applied
 * after, keep small values quiet. When the MAD is zero (more than half the baseline identical)
 * Tukey's fences with {@code k = 3} on the inter-quartile range take over; when that is zero too,
 * only the floors make the band, and the score is {@code threshold} at the band's edge.
 *
 * @param center the baseline's median, in the metric's unit
 * @param low the lowest usual value (never below 0)
 * @param high the highest usual value
 * @param transformedCenter the median on the transformed scale
 * @param scale one robust standard deviation on the transformed scale; 0 when degenerate
 * @param threshold the score above which a value is anomalous
 * @param logScale whether statistics are taken on {@code ln(x + shift)}
 * @param shift what is added before the logarithm
 * @param floorHalfWidth half the band's width the floors demand
 */
record RobustBand(
    double center,
    double low,
    double high,
    double transformedCenter,
    double scale,
    double threshold,
    boolean logScale,
    double shift,
    double floorHalfWidth) {

  /**
   * What is added before the logarithm, as a share of the absolute floor: enough to take zeros (an
   * unpriced run), too little to bend the log-normal tail — a shift as large as the floor makes the
   * logarithm nearly linear below it, and the tail of a cheap series then looks much heavier than
   * the band expects.
   */
  static final double LOG_SHIFT = 0.01;

  /** The modified z-score's anomaly threshold (Iglewicz and Hoaglin). */
  static final double DEFAULT_THRESHOLD = 3.5;

  /** Tukey's fence multiplier for "far out" values, used when the MAD is zero. */
  static final double TUKEY_K = 3.0;

  /** MAD to standard deviation of a normal distribution: 1 / 0.6745. */
  private static final double MAD_TO_SIGMA = 1.4826;

  /** IQR to standard deviation of a normal distribution. */
  private static final double IQR_TO_SIGMA = 1 / 1.349;

  /**
   * The band of a baseline.
   *
   * @param baseline the baseline values, in the metric's unit, any order
   * @param floors the smallest change worth reporting
   * @param threshold the modified z-score above which a value is anomalous
   * @param logScale whether to take statistics on {@code ln(x + shift)}
   */
  static RobustBand of(double[] baseline, Floors floors, double threshold, boolean logScale) {
    return of(baseline, floors, threshold, logScale, 0);
  }

  /**
   * The band of a baseline whose values cannot vary less than {@code minSigma} by chance alone (the
   * Poisson noise of a count, say): a small sample's MAD can come out far smaller than the noise,
   * and then every ordinary value would look anomalous.
   *
   * @param minSigma the least standard deviation of a value, in the metric's unit
   */
  static RobustBand of(
      double[] baseline, Floors floors, double threshold, boolean logScale, double minSigma) {
    double shift = logScale ? Math.max(floors.absolute() * LOG_SHIFT, 1e-12) : 0;
    double[] t = new double[baseline.length];
    for (int i = 0; i < baseline.length; i++) {
      t[i] = logScale ? Math.log(Math.max(baseline[i], 0) + shift) : baseline[i];
    }
    double[] sorted = RobustStats.sorted(t);
    double median = RobustStats.median(sorted);
    double mad = RobustStats.mad(sorted, median);
    double lowT;
    double highT;
    double scale;
    if (mad > 0) {
      scale = MAD_TO_SIGMA * mad;
      lowT = median - threshold * scale;
      highT = median + threshold * scale;
    } else {
      double q1 = RobustStats.quantile(sorted, 0.25);
      double q3 = RobustStats.quantile(sorted, 0.75);
      double iqr = q3 - q1;
      scale = iqr * IQR_TO_SIGMA;
      lowT = q1 - TUKEY_K * iqr;
      highT = q3 + TUKEY_K * iqr;
    }
    double center = back(median, logScale, shift);
    double minScale = logScale ? minSigma / (Math.max(center, 0) + shift) : minSigma;
    if (scale < minScale) {
      scale = minScale;
      lowT = median - threshold * scale;
      highT = median + threshold * scale;
    }
    double floorHalf = floors.halfWidth(center);
    double low = Math.max(0, Math.min(back(lowT, logScale, shift), center - floorHalf));
    double high = Math.max(back(highT, logScale, shift), center + floorHalf);
    return new RobustBand(center, low, high, median, scale, threshold, logScale, shift, floorHalf);
  }

  private static double back(double t, boolean logScale, double shift) {
    return logScale ? Math.exp(t) - shift : t;
  }

  /** Whether {@code x} is outside the band. */
  boolean anomalous(double x) {
    return x > high || x < low;
  }

  /**
   * How far {@code x} is from the center, signed: the modified z-score on the transformed scale,
   * or, for a degenerate baseline, {@code threshold} times the distance in floor half-widths.
   */
  double score(double x) {
    if (scale > 0) {
      double t = logScale ? Math.log(Math.max(x, 0) + shift) : x;
      return (t - transformedCenter) / scale;
    }
    return threshold * (x - center) / Math.max(floorHalfWidth, 1e-12);
  }

  /** Warning inside twice the threshold, critical beyond. */
  String severity(double score) {
    return Math.abs(score) >= 2 * threshold ? Anomaly.CRITICAL : Anomaly.WARNING;
  }

  Anomaly.Band asBand() {
    return new Anomaly.Band(low, high);
  }
}
