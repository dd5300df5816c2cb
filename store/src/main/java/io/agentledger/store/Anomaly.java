package io.agentledger.store;

import java.time.Instant;
import java.util.Map;

/**
 * Something the analyzer found behaving differently (a cost spike, a tool loop, ...).
 *
 * @param project the project (tenant) it was found in
 * @param id stable id (re-detecting the same anomaly updates it)
 * @param kind what was detected, e.g. {@code cost_spike}, {@code tool_loop}
 * @param entity what it is about, e.g. {@code agent:planner}, {@code model:gpt-4o}
 * @param metric the metric that deviated; its unit is the unit of observed and expected
 * @param detectedAt when the analyzer (last) detected it
 * @param windowStart start of the time window the observation covers
 * @param windowEnd end of the time window the observation covers
 * @param observed the metric's value in the window
 * @param expected the value the baseline led to expect
 * @param score how strongly observed deviates from expected; higher is more anomalous
 * @param status {@code open} or {@code resolved}
 * @param summary a human-readable one-line description
 * @param attributes details (trace ids, thresholds), as strings; null is read as empty
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
  /**
   * Validates the components and copies the attributes.
   *
   * @param project the project (tenant) it was found in
   * @param id stable id (re-detecting the same anomaly updates it)
   * @param kind what was detected, e.g. {@code cost_spike}, {@code tool_loop}
   * @param entity what it is about, e.g. {@code agent:planner}, {@code model:gpt-4o}
   * @param metric the metric that deviated; its unit is the unit of observed and expected
   * @param detectedAt when the analyzer (last) detected it
   * @param windowStart start of the time window the observation covers
   * @param windowEnd end of the time window the observation covers
   * @param observed the metric's value in the window
   * @param expected the value the baseline led to expect
   * @param score how strongly observed deviates from expected; higher is more anomalous
   * @param status {@code open} or {@code resolved}
   * @param summary a human-readable one-line description
   * @param attributes details (trace ids, thresholds), as strings; null is read as empty
   */
  public Anomaly {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
