package io.agentledger.analyzer.notify;

import io.agentledger.store.Notification;
import io.agentledger.store.NotificationOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Where detectors publish the transitions of their findings. Publishing only writes to the store's
 * outbox (one notification, one pending delivery per configured sink) and returns: delivery happens
 * on each sink's own thread, so a slow or failing sink never stalls a detector.
 *
 * <p>How a detector publishes (anomalies and regressions do the same as the alert evaluator):
 *
 * <pre>{@code
 * // when a finding starts firing (its state not yet saved as firing):
 * notifications.publish(new Notification(project,
 *     Notification.idOf(findingId, "firing", episodeKey), findingId, "anomaly", "cost_spike",
 *     "firing", "warning", "planner cost 6x its baseline", Map.of("agent", "planner"),
 *     Map.of("observed", "1.92", "expected_high", "0.40"), firstSeen, now));
 * // then save the finding's own state; when it resolves, the same with "resolved",
 * // the same findingId and labels, startsAt = firstSeen and at = the time it resolved.
 * }</pre>
 *
 * Publish <em>before</em> saving the finding's new state, with an {@code episodeKey} derived from
 * what is stored (e.g. the finding's {@code firstSeen} for a resolution, the previous resolution
 * time for a new firing): a crash in between makes the detector publish the same transition again
 * at its next cycle, with the same id, and the outbox stores it once. Labels must be the same in
 * both transitions of a finding (Alertmanager identifies an alert by its labels).
 */
public final class Notifications {

  private final NotificationOutbox outbox;
  private final List<String> sinks;
  private final Counter published;

  /**
   * @param outbox where notifications are kept until delivered
   * @param sinks the names of the configured sinks (each gets every notification)
   */
  public Notifications(NotificationOutbox outbox, List<String> sinks, MeterRegistry registry) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.sinks = List.copyOf(sinks);
    this.published =
        Counter.builder("agentledger.notifications.published")
            .description("Finding transitions stored in the notification outbox")
            .register(registry);
  }

  /**
   * Stores the transitions in the outbox, each once (by project and id).
   *
   * @return how many were new
   * @throws io.agentledger.store.StoreException when the store fails (retryable or not): the caller
   *     keeps its finding's old state and publishes again at its next cycle
   */
  public int publish(List<Notification> transitions) {
    if (transitions.isEmpty()) {
      return 0;
    }
    int added = outbox.enqueueNotifications(transitions, sinks);
    published.increment(added);
    return added;
  }

  /** Like {@link #publish(List)}, for one transition. */
  public int publish(Notification transition) {
    return publish(List.of(transition));
  }

  /** The sinks each notification goes to. */
  public List<String> sinks() {
    return sinks;
  }
}
