package io.agentledger.analyzer.anomaly;

import io.agentledger.store.Anomaly;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detection cycle's own metrics (README, "Analyzer metrics"); labels come from closed sets only
 * (kinds, severities, transitions), never from agents or users.
 *
 * <ul>
 *   <li>{@code agentledger.analyzer.anomalies.active{kind,severity}}: firing episodes after the
 *       last cycle, across projects
 *   <li>{@code agentledger.analyzer.anomaly.transitions{kind,transition}}: episodes that fired,
 *       reopened or resolved
 *   <li>{@code agentledger.analyzer.detection.duration}: time of a whole cycle
 *   <li>{@code agentledger.analyzer.detection.series}: run series held in the baseline windows
 *   <li>{@code agentledger.analyzer.detection.runs}: new runs read by cycles
 *   <li>{@code agentledger.analyzer.detection.failures}: cycles that failed
 * </ul>
 */
final class DetectionMetrics {

  private static final List<String> SEVERITIES = List.of(Anomaly.WARNING, Anomaly.CRITICAL);

  private final Map<String, AtomicLong> active = new HashMap<>();
  private final Map<String, Counter> transitions = new HashMap<>();
  private final Timer duration;
  private final AtomicLong series = new AtomicLong();
  private final Counter runs;
  private final Counter failures;

  DetectionMetrics(MeterRegistry registry) {
    for (String kind : AnomalyKinds.ALL) {
      for (String severity : SEVERITIES) {
        AtomicLong n = new AtomicLong();
        active.put(kind + "/" + severity, n);
        Gauge.builder("agentledger.analyzer.anomalies.active", n, AtomicLong::get)
            .description("Firing anomaly episodes after the last detection cycle")
            .tag("kind", kind)
            .tag("severity", severity)
            .register(registry);
      }
      for (AnomalyListener.Transition t : AnomalyListener.Transition.values()) {
        String name = t.name().toLowerCase(java.util.Locale.ROOT);
        transitions.put(
            kind + "/" + name,
            Counter.builder("agentledger.analyzer.anomaly.transitions")
                .description("Anomaly episodes that fired, reopened or resolved")
                .tag("kind", kind)
                .tag("transition", name)
                .register(registry));
      }
    }
    duration =
        Timer.builder("agentledger.analyzer.detection.duration")
            .description("Time of one detection cycle over every project")
            .register(registry);
    Gauge.builder("agentledger.analyzer.detection.series", series, AtomicLong::get)
        .description("Run series held in the baseline windows")
        .register(registry);
    runs =
        Counter.builder("agentledger.analyzer.detection.runs")
            .description("New runs read by detection cycles")
            .register(registry);
    failures =
        Counter.builder("agentledger.analyzer.detection.failures")
            .description("Detection cycles that failed (retried at the next tick)")
            .register(registry);
  }

  void cycle(long nanos, long seriesHeld, long newRuns, List<Anomaly> firing) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
    series.set(seriesHeld);
    runs.increment(newRuns);
    Map<String, Long> counts = new HashMap<>();
    for (Anomaly a : firing) {
      counts.merge(a.kind() + "/" + a.severity(), 1L, Long::sum);
    }
    active.forEach((k, n) -> n.set(counts.getOrDefault(k, 0L)));
  }

  void transition(String kind, AnomalyListener.Transition t) {
    Counter c = transitions.get(kind + "/" + t.name().toLowerCase(java.util.Locale.ROOT));
    if (c != null) {
      c.increment();
    }
  }

  void failed() {
    failures.increment();
  }
}
