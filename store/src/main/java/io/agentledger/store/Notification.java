package io.agentledger.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One transition of a finding (an alert rule's alert, an anomaly, a regression): it started firing
 * or it resolved. Each is delivered once to every sink configured when it was published.
 *
 * @param project the project (tenant)
 * @param id unique in its project; {@link #idOf} derives it from the transition, so publishing the
 *     same transition twice stores it once
 * @param findingId the finding's stable id (an alert state's, an anomaly's, a regression's)
 * @param source what found it: {@code alert}, {@code anomaly} or {@code regression}
 * @param kind what was found, e.g. {@code budget}, {@code cost_spike}
 * @param status {@code firing} or {@code resolved}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param summary a one-line description for people
 * @param labels what identifies the finding (its subject, e.g. {@code agent}, {@code model}); the
 *     same in both transitions of a finding
 * @param values measurements, as text ({@code observed}, {@code threshold}, ...)
 * @param startsAt when the finding started firing
 * @param at when this transition happened (for a resolved one, when it ended)
 */
public record Notification(
    String project,
    String id,
    String findingId,
    String source,
    String kind,
    String status,
    String severity,
    String summary,
    Map<String, String> labels,
    Map<String, String> values,
    Instant startsAt,
    Instant at) {

  /**
   * Checks the required components and copies the maps.
   *
   * @param project the project (tenant)
   * @param id unique in its project
   * @param findingId the finding's stable id
   * @param source what found it: {@code alert}, {@code anomaly} or {@code regression}
   * @param kind what was found
   * @param status {@code firing} or {@code resolved}
   * @param severity {@code info}, {@code warning} or {@code critical}
   * @param summary a one-line description for people
   * @param labels what identifies the finding; the same in both transitions of a finding
   * @param values measurements, as text
   * @param startsAt when the finding started firing
   * @param at when this transition happened
   */
  public Notification {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(findingId, "findingId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(at, "at");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    values = values == null ? Map.of() : Map.copyOf(values);
  }

  /**
   * The id of a transition: the finding, the new status and a key of the episode (millisecond
   * precision). The publisher derives the key from what it has stored, so publishing the same
   * transition again (after a crash before its state was saved) gives the same id: e.g. the
   * episode's {@code firstSeen} for a resolution, the previous resolution time (or the epoch) for a
   * new firing.
   *
   * @param findingId the finding's stable id
   * @param status {@code firing} or {@code resolved}
   * @param episode the episode key, stable across retries of this transition
   * @return the notification id
   */
  public static String idOf(String findingId, String status, Instant episode) {
    return findingId + "/" + status + "/" + episode.toEpochMilli();
  }

  /**
   * Whether this transition is the finding starting to fire.
   *
   * @return true for {@code firing}
   */
  public boolean firing() {
    return AlertState.FIRING.equals(status);
  }
}
