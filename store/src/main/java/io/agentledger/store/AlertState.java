package io.agentledger.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where one alert of a rule stands: one per rule and scope value that has ever fired. Shaped like
 * an anomaly of the API ({@code subject}, {@code metric}, {@code observed}, {@code status}, {@code
 * firstSeen}, {@code lastSeen}), so {@code /anomalies} can list it as a finding of kind {@code
 * alert:<rule kind>}.
 *
 * @param project the project (tenant)
 * @param id stable id: the same rule and scope value always give the same id
 * @param ruleId the rule that fired
 * @param subject what it is about, e.g. {@code {"userId": "u-1"}}; empty for a project total
 * @param metric what was measured: {@code cost_usd}, {@code cost_usd_per_hour} or {@code
 *     unpriced_share}
 * @param observed the metric's value at the last evaluation
 * @param threshold the rule's threshold at the last evaluation
 * @param severity the rule's severity
 * @param status {@code firing} or {@code resolved}
 * @param firstSeen when it started firing (this episode)
 * @param lastSeen when it was last evaluated as firing, or when it resolved
 * @param summary a one-line description
 */
public record AlertState(
    String project,
    String id,
    String ruleId,
    Map<String, String> subject,
    String metric,
    double observed,
    double threshold,
    String severity,
    String status,
    Instant firstSeen,
    Instant lastSeen,
    String summary) {

  /** The status of an alert whose condition holds. */
  public static final String FIRING = "firing";

  /** The status of an alert whose condition no longer holds. */
  public static final String RESOLVED = "resolved";

  /**
   * Copies the subject.
   *
   * @param project the project (tenant)
   * @param id stable id: the same rule and scope value always give the same id
   * @param ruleId the rule that fired
   * @param subject what it is about; empty for a project total
   * @param metric what was measured
   * @param observed the metric's value at the last evaluation
   * @param threshold the rule's threshold at the last evaluation
   * @param severity the rule's severity
   * @param status {@code firing} or {@code resolved}
   * @param firstSeen when it started firing (this episode)
   * @param lastSeen when it was last evaluated as firing, or when it resolved
   * @param summary a one-line description
   */
  public AlertState {
    Objects.requireNonNull(id, "id");
    subject = subject == null ? Map.of() : Map.copyOf(subject);
  }

  /**
   * Whether the alert is firing.
   *
   * @return true when firing
   */
  public boolean firing() {
    return FIRING.equals(status);
  }
}
