package io.agentledger.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Something the analyzer found behaving differently from its baseline — a run far costlier than the
 * agent's usual, an hour of spend outside its seasonal band, a tool loop — as one episode: it fires
 * when first seen, is updated while it goes on, and resolves when it stops.
 *
 * @param project the project (tenant) it was found in
 * @param id stable id of the episode (re-detecting it updates the same record)
 * @param kind what was detected, e.g. {@code run_outlier}, {@code rate}, {@code tool_loop}
 * @param subject what it is about: {@code agent}, {@code agentVersion}, {@code model}, {@code
 *     userId}, {@code tool}... (the keys that apply); null is read as empty
 * @param metric the metric that deviated; its unit is the unit of observed and expected
 * @param observed the metric's (most deviating) value while it fired
 * @param expected the band the baseline led to expect
 * @param score how strongly observed deviates from expected (a robust z-score for statistical
 *     kinds); higher is more anomalous
 * @param severity {@link #WARNING} or {@link #CRITICAL}
 * @param status {@link #FIRING} or {@link #RESOLVED}
 * @param firstSeen when the first anomalous observation happened
 * @param lastSeen when the latest anomalous observation happened
 * @param exampleTraceIds chains that show it, at most a few; null is read as empty
 * @param detail what else explains it (wasted cost of a loop, the unseen transition...), as
 *     strings; null is read as empty
 */
public record Anomaly(
    String project,
    String id,
    String kind,
    Map<String, String> subject,
    String metric,
    double observed,
    Band expected,
    double score,
    String severity,
    String status,
    Instant firstSeen,
    Instant lastSeen,
    List<String> exampleTraceIds,
    Map<String, String> detail) {

  /** An anomaly still going on. */
  public static final String FIRING = "firing";

  /** An anomaly that stopped. */
  public static final String RESOLVED = "resolved";

  /** Worth a look. */
  public static final String WARNING = "warning";

  /** Far outside the band: worth a page. */
  public static final String CRITICAL = "critical";

  /**
   * Validates the components and copies the collections.
   *
   * @param project the project (tenant) it was found in
   * @param id stable id of the episode
   * @param kind what was detected
   * @param subject what it is about; null is read as empty
   * @param metric the metric that deviated
   * @param observed the metric's value
   * @param expected the band the baseline led to expect
   * @param score how strongly observed deviates
   * @param severity warning or critical
   * @param status firing or resolved
   * @param firstSeen when the first anomalous observation happened
   * @param lastSeen when the latest anomalous observation happened
   * @param exampleTraceIds chains that show it; null is read as empty
   * @param detail what else explains it; null is read as empty
   */
  public Anomaly {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    subject = subject == null ? Map.of() : Map.copyOf(subject);
    exampleTraceIds = exampleTraceIds == null ? List.of() : List.copyOf(exampleTraceIds);
    detail = detail == null ? Map.of() : Map.copyOf(detail);
  }

  /**
   * The agent it is about, from the subject.
   *
   * @return the agent, or empty when it is not about one agent
   */
  public String agent() {
    return subject.getOrDefault("agent", "");
  }

  /**
   * Whether it is still going on.
   *
   * @return true while firing
   */
  public boolean firing() {
    return FIRING.equals(status);
  }

  /**
   * The band of values the baseline led to expect.
   *
   * @param low the lowest expected value
   * @param high the highest expected value
   */
  public record Band(double low, double high) {}
}
