package io.agentledger.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A cost alert a user set on a project ({@code /alerts/rules}): a condition over the billable spans
 * of a rolling window, evaluated on a fixed cycle, once per value of its scope.
 *
 * <p>Kinds: {@code budget} fires when the cost in the window exceeds {@code threshold} USD; {@code
 * burn_rate} when the cost per hour over the window exceeds {@code threshold} USD; {@code
 * unpriced_share} when the share of billable calls without a known cost exceeds {@code threshold}
 * (0 to 1), once the window holds at least {@code minCalls} calls.
 *
 * @param project the project (tenant) the rule belongs to
 * @param id the rule's id, unique in its project
 * @param name a human-readable name
 * @param kind {@code budget}, {@code burn_rate} or {@code unpriced_share}
 * @param scope what each alert is about: {@code project} (one total), or one alert per {@code
 *     agent}, {@code userId} or {@code model}
 * @param match only this value of the scope (e.g. one agent); empty for every value
 * @param window the rolling window the condition looks back over
 * @param threshold the limit (USD, USD per hour, or a share), exceeded when observed is above it
 * @param minCalls fewest billable calls in the window for the rule to judge (0: always)
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param enabled whether the rule is evaluated
 * @param createdAt when the rule was created
 * @param updatedAt when the rule was last changed
 */
public record AlertRule(
    String project,
    String id,
    String name,
    String kind,
    String scope,
    String match,
    Duration window,
    double threshold,
    long minCalls,
    String severity,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Checks that nothing is null.
   *
   * @param project the project (tenant) the rule belongs to
   * @param id the rule's id, unique in its project
   * @param name a human-readable name
   * @param kind {@code budget}, {@code burn_rate} or {@code unpriced_share}
   * @param scope {@code project}, {@code agent}, {@code userId} or {@code model}
   * @param match only this value of the scope; empty for every value
   * @param window the rolling window the condition looks back over
   * @param threshold the limit, exceeded when observed is above it
   * @param minCalls fewest billable calls in the window for the rule to judge
   * @param severity {@code info}, {@code warning} or {@code critical}
   * @param enabled whether the rule is evaluated
   * @param createdAt when the rule was created
   * @param updatedAt when the rule was last changed
   */
  public AlertRule {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
