package io.agentledger.analyzer.anomaly;

/**
 * The smallest change worth reporting, whatever the statistics say: a value is anomalous only if it
 * differs from the baseline's median by at least {@code relative} of it <em>and</em> by at least
 * {@code absolute} (in the metric's unit), so a run going from $0.0001 to $0.0003 pages nobody.
 *
 * @param relative the smallest relative change, e.g. 0.25 for 25 %
 * @param absolute the smallest absolute change, in the metric's unit
 */
record Floors(double relative, double absolute) {
  Floors {
    if (relative < 0 || absolute < 0) {
      throw new IllegalArgumentException("floors must not be negative");
    }
  }

  /** Half the width the band has at least around {@code center}. */
  double halfWidth(double center) {
    return Math.max(relative * Math.abs(center), absolute);
  }
}
