package io.agentledger.analyzer.anomaly;

import io.agentledger.store.RunSummary;
import java.util.List;
import java.util.Map;

/**
 * The features of one run the detectors keep in memory: far smaller than a {@link RunSummary}.
 *
 * @param traceId the run's chain
 * @param spanId the run's span
 * @param startNanos when it started, epoch nanoseconds
 * @param values the per-run metrics, in the order of {@link RunMetric}
 * @param failed whether any of its spans failed
 * @param userId the end user, or empty
 * @param path its steps ({@code RunSummary.path})
 * @param behaviours its behaviours ({@code RunSummary.behaviours})
 * @param idHash a hash of the trace and span ids, compared before the ids themselves: looking a run
 *     up among a series' recent runs then reads one object per run, not three
 */
record RunPoint(
    String traceId,
    String spanId,
    long startNanos,
    double[] values,
    boolean failed,
    String userId,
    List<String> path,
    Map<String, String> behaviours,
    int idHash) {

  static RunPoint of(RunSummary r) {
    double[] values = new double[RunMetric.values().length];
    for (RunMetric m : RunMetric.values()) {
      values[m.ordinal()] = m.of(r);
    }
    return new RunPoint(
        r.traceId(),
        r.spanId(),
        r.startTime().getEpochSecond() * 1_000_000_000L + r.startTime().getNano(),
        values,
        r.errors() > 0,
        r.userId(),
        r.path(),
        r.behaviours(),
        31 * r.traceId().hashCode() + r.spanId().hashCode());
  }

  double value(RunMetric m) {
    return values[m.ordinal()];
  }

  boolean sameRun(RunPoint other) {
    return idHash == other.idHash && spanId.equals(other.spanId) && traceId.equals(other.traceId);
  }
}
