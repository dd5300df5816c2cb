package io.agentledger.analyzer.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentledger.store.Notification;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Prometheus Alertmanager, API v2: {@code POST /api/v2/alerts}. A firing finding is posted with an
 * {@code endsAt} of now + 4 × the reminder interval and re-posted every interval while it fires (as
 * Prometheus does), so Alertmanager keeps it and lets it lapse if AgentLedger stops; a resolved one
 * is posted with {@code endsAt} = when it resolved, which resolves it at once. Alertmanager
 * identifies an alert by its labels, which are the same for both transitions of a finding.
 */
public final class AlertmanagerSink implements NotificationSink {

  private final URI alerts;
  private final HttpSender http;
  private final Clock clock;
  private final Duration remindInterval;

  /**
   * @param base Alertmanager's address, e.g. {@code http://alertmanager:9093}
   * @param remindInterval how often firing alerts are re-posted
   */
  public AlertmanagerSink(URI base, Duration remindInterval, HttpSender http, Clock clock) {
    String b = base.toString();
    this.alerts =
        URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/api/v2/alerts");
    this.http = http;
    this.clock = clock;
    this.remindInterval = remindInterval;
  }

  @Override
  public String name() {
    return "alertmanager";
  }

  @Override
  public String target() {
    return HttpSender.redact(alerts);
  }

  @Override
  public Result send(Notification n) {
    return post(List.of(n));
  }

  @Override
  public Result remind(List<Notification> firing) {
    return firing.isEmpty() ? Result.delivered() : post(firing);
  }

  @Override
  public Duration remindInterval() {
    return remindInterval;
  }

  private Result post(List<Notification> notifications) {
    Instant lapse = clock.instant().plus(remindInterval.multipliedBy(4));
    ArrayNode body = Payloads.JSON.createArrayNode();
    for (Notification n : notifications) {
      body.add(Payloads.alertmanager(n, n.firing() ? lapse : n.at()));
    }
    return http.post(alerts, Payloads.bytes(body), Map.of());
  }

  @Override
  public java.time.Duration sendTimeout() {
    return http.timeout().multipliedBy(2); // connecting, then the request
  }
}
