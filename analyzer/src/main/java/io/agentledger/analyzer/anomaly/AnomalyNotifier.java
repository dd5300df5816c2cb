package io.agentledger.analyzer.anomaly;

import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.store.Anomaly;
import io.agentledger.store.Notification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every anomaly transition to the notification outbox, where the sinks (webhook, Slack,
 * Alertmanager) pick it up. The notification id is built from the episode's stored times, so two
 * analyzers reporting the same transition — or a cycle re-run after a crash — publish one
 * notification, which the outbox keeps once.
 */
public final class AnomalyNotifier implements AnomalyListener {

  private static final Logger LOG = LoggerFactory.getLogger(AnomalyNotifier.class);

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
    try {
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
    } catch (RuntimeException e) {
      // The listener contract: never throw into detection. The transition stays stored and visible
      // in /anomalies; only its notification is lost, which the log says.
      LOG.warn(
          "Could not queue the notification of anomaly {} ({}): {}",
          anomaly.id(),
          transition,
          e.toString());
    }
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
