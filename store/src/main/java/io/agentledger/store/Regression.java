package io.agentledger.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A metric of an agent's runs that changed: between two versions of the agent ({@value #VERSION}),
 * or at a point in time within one version ({@value #CHANGE_POINT}, such as a provider silently
 * changing a model).
 *
 * @param project the project (tenant) it was found in
 * @param id stable id: re-detecting the same change replaces it
 * @param kind {@value #VERSION} or {@value #CHANGE_POINT}
 * @param agent the agent whose runs were compared
 * @param metric the metric compared, one of {@code costUsd}, {@code durationMs}, {@code tokens},
 *     {@code steps}, {@code errorRate}; its unit is the unit of both medians
 * @param before the runs before the change
 * @param after the runs after the change
 * @param effect relative change of the typical value, after versus before ({@code 0.3} = 30 %
 *     higher, {@code -0.1} = 10 % lower)
 * @param effectLow lower bound of the effect's bootstrap confidence interval
 * @param effectHigh upper bound of the effect's bootstrap confidence interval
 * @param pValue the test's p-value adjusted for every test of the detection cycle
 *     (Benjamini-Hochberg), 0 to 1
 * @param direction {@value #WORSE} or {@value #BETTER} (for every metric, higher is worse)
 * @param detectedAt when the analyzer first detected it (in this episode: a regression found again
 *     after it resolved starts a new one)
 * @param exampleTraceIds chains of runs after the change that show it
 * @param status {@value #FIRING} while detection cycles find it, {@value #RESOLVED} once they stop
 *     finding it or a newer version of the agent supersedes it
 * @param lastSeen when a detection cycle last found it
 */
public record Regression(
    String project,
    String id,
    String kind,
    String agent,
    String metric,
    Segment before,
    Segment after,
    double effect,
    double effectLow,
    double effectHigh,
    double pValue,
    String direction,
    Instant detectedAt,
    List<String> exampleTraceIds,
    String status,
    Instant lastSeen) {

  /** Kind of a change between two versions of an agent. */
  public static final String VERSION = "version";

  /** Kind of a change within one version of an agent, at a point in time. */
  public static final String CHANGE_POINT = "changepoint";

  /** Direction of a change that made the metric higher. */
  public static final String WORSE = "worse";

  /** Direction of a change that made the metric lower. */
  public static final String BETTER = "better";

  /** Status of a regression detection cycles still find. */
  public static final String FIRING = "firing";

  /** Status of a regression no longer found, or superseded by a newer version. */
  public static final String RESOLVED = "resolved";

  /**
   * Checks the keys and copies the trace ids.
   *
   * @param project the project (tenant) it was found in
   * @param id stable id
   * @param kind {@value #VERSION} or {@value #CHANGE_POINT}
   * @param agent the agent whose runs were compared
   * @param metric the metric compared
   * @param before the runs before the change
   * @param after the runs after the change
   * @param effect relative change, after versus before
   * @param effectLow lower bound of the effect's confidence interval
   * @param effectHigh upper bound of the effect's confidence interval
   * @param pValue the adjusted p-value
   * @param direction {@value #WORSE} or {@value #BETTER}
   * @param detectedAt when the analyzer first detected it
   * @param exampleTraceIds chains of runs after the change that show it
   * @param status {@value #FIRING} or {@value #RESOLVED}
   * @param lastSeen when a detection cycle last found it
   */
  public Regression {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(detectedAt, "detectedAt");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastSeen, "lastSeen");
    exampleTraceIds = List.copyOf(exampleTraceIds);
  }

  /**
   * Whether detection cycles still find it.
   *
   * @return true when {@value #FIRING}
   */
  public boolean firing() {
    return FIRING.equals(status);
  }

  /**
   * This regression with another episode state.
   *
   * @param status {@value #FIRING} or {@value #RESOLVED}
   * @param detectedAt when the episode started
   * @param lastSeen when a cycle last found it
   * @return the copy
   */
  public Regression withEpisode(String status, Instant detectedAt, Instant lastSeen) {
    return new Regression(
        project,
        id,
        kind,
        agent,
        metric,
        before,
        after,
        effect,
        effectLow,
        effectHigh,
        pValue,
        direction,
        detectedAt,
        exampleTraceIds,
        status,
        lastSeen);
  }

  /**
   * One side of a change: the runs of a version, or of a period within a version.
   *
   * @param version the agent version of the runs (both sides share it for a change point)
   * @param from when the first of the runs started
   * @param to when the last of the runs started
   * @param median the metric's median over the runs (the share of failed runs for {@code
   *     errorRate})
   * @param runs how many runs were compared
   */
  public record Segment(String version, Instant from, Instant to, double median, int runs) {
    /**
     * Checks the components.
     *
     * @param version the agent version of the runs
     * @param from when the first of the runs started
     * @param to when the last of the runs started
     * @param median the metric's median over the runs
     * @param runs how many runs were compared
     */
    public Segment {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }
}
