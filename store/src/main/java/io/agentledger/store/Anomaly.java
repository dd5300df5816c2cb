package io.agentledger.store;

import java.time.Instant;
import java.util.Map;

/**
 * Something the analyzer found behaving differently (a cost spike, a tool loop, ...).
 *
 * @param id stable id (re-detecting the same anomaly updates it)
 * @param kind what was detected, e.g. {@code cost_spike}, {@code tool_loop}
 * @param entity what it is about, e.g. {@code agent:planner}, {@code model:gpt-4o}
 * @param status {@code open} or {@code resolved}
 * @param attributes details (trace ids, thresholds), as strings
 */
public record Anomaly(
    String project,
    String id,
    String kind,
    String entity,
    String metric,
    Instant detectedAt,
    Instant windowStart,
    Instant windowEnd,
    double observed,
    double expected,
    double score,
    String status,
    String summary,
    Map<String, String> attributes) {
  /** Validates the components and copies the attributes. */
  public Anomaly {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
