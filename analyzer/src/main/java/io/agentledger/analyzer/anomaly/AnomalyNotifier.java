package io.agentledger.analyzer.anomaly;

import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.store.Anomaly;
import io.agentledger.store.Notification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes every anomaly transition to the notification outbox, where the sinks (webhook, Slack,
 * Alertmanager) pick it up, before the episode is saved. The notification id is built from the
 * episode's times, which come from the data (the first and last anomalous run) or from what is
 * stored, so a cycle re-run after a crash between the publish and the save — or two analyzers
 * reporting the same transition — publish one notification, which the outbox keeps once.
 */
public final class AnomalyNotifier implements AnomalyListener {

  private final Notifications notifications;

  /**
   * @param notifications the outbox the sinks read
   */
  public AnomalyNotifier(Notifications notifications) {
    this.notifications = Objects.requireNonNull(notifications, "notifications");
  }

  @Override
  public void onTransition(Anomaly anomaly, Transition transition) {
    boolean resolved = transition == Transition.RESOLVED;
    String status = resolved ? Anomaly.RESOLVED : Anomaly.FIRING;
    // A new episode is keyed by when it started; a reopened one by when it was seen again; a
    // resolution by the last time the behaviour was seen. All three are stored, so stable.
    Instant episode = transition == Transition.FIRING ? anomaly.firstSeen() : anomaly.lastSeen();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("metric", anomaly.metric());
    values.put("observed", Double.toString(anomaly.observed()));
    values.put("expected_low", Double.toString(anomaly.expected().low()));
    values.put("expected_high", Double.toString(anomaly.expected().high()));
    values.put("score", Double.toString(anomaly.score()));
    if (!anomaly.exampleTraceIds().isEmpty()) {
      values.put("example_trace_ids", String.join(",", anomaly.exampleTraceIds()));
    }
    // Not caught: a failed publish fails the cycle before the episode is saved, and the next
    // cycle publishes the same transition again (AnomalyListener).
    notifications.publish(
        new Notification(
            anomaly.project(),
            Notification.idOf(anomaly.id(), status, episode),
            anomaly.id(),
            "anomaly",
            anomaly.kind(),
            status,
            anomaly.severity(),
            summary(anomaly),
            anomaly.subject(), // the same in both transitions: Alertmanager keys alerts by labels
            values,
            anomaly.firstSeen(),
            anomaly.lastSeen()));
  }

  private static String summary(Anomaly a) {
    return a.kind()
        + " "
        + a.subject()
        + ": "
        + a.metric()
        + " "
        + a.observed()
        + " (expected "
        + a.expected().low()
        + " to "
        + a.expected().high()
        + ")";
  }
}
