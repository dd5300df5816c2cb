package io.agentledger.analyzer.anomaly;

import io.agentledger.store.Anomaly;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one detector concluded about one key (kind, subject, metric) in one cycle: anomalous, with
 * the evidence, or clear (evaluated and fine, so a firing episode of the key resolves). Times are
 * data times (when the anomalous runs started, which hour), so every analyzer instance derives the
 * same episode from the same stored runs.
 *
 * @param kind the kind of anomaly
 * @param subject what it is about
 * @param metric the metric
 * @param anomalous true for anomalous, false for clear
 * @param scope for a clear observation: it clears every episode of the kind whose subject holds all
 *     of this subject's entries, whatever its metric
 * @param observed the most deviating value
 * @param expected the usual band
 * @param score how far outside
 * @param severity warning or critical
 * @param firstAt when the earliest anomalous observation happened
 * @param lastAt when the latest anomalous observation happened
 * @param exampleTraceIds chains that show it
 * @param detail what else explains it
 */
record Observation(
    String kind,
    Map<String, String> subject,
    String metric,
    boolean anomalous,
    boolean scope,
    double observed,
    Anomaly.Band expected,
    double score,
    String severity,
    Instant firstAt,
    Instant lastAt,
    List<String> exampleTraceIds,
    Map<String, String> detail) {

  Observation {
    subject = new TreeMap<>(subject);
    exampleTraceIds = List.copyOf(exampleTraceIds);
    detail = Map.copyOf(detail);
  }

  static Observation clear(String kind, Map<String, String> subject, String metric) {
    return new Observation(
        kind,
        subject,
        metric,
        false,
        false,
        0,
        new Anomaly.Band(0, 0),
        0,
        Anomaly.WARNING,
        Instant.EPOCH,
        Instant.EPOCH,
        List.of(),
        Map.of());
  }

  /** Clears every episode of {@code kind} about (at least) {@code subject}. */
  static Observation clearAll(String kind, Map<String, String> subject) {
    return new Observation(
        kind,
        subject,
        "",
        false,
        true,
        0,
        new Anomaly.Band(0, 0),
        0,
        Anomaly.WARNING,
        Instant.EPOCH,
        Instant.EPOCH,
        List.of(),
        Map.of());
  }

  /** What identifies the episode's key: kind, subject (sorted) and metric. */
  String key() {
    return key(kind, subject, metric);
  }

  static String key(String kind, Map<String, String> subject, String metric) {
    StringBuilder b = new StringBuilder(kind).append('|');
    new TreeMap<>(subject).forEach((k, v) -> b.append(k).append('=').append(v).append(';'));
    return b.append('|').append(metric).toString();
  }
}
