package io.agentledger.analyzer.notify;

import io.agentledger.store.Notification;
import java.net.URI;
import java.util.Map;

/** A Slack incoming webhook: one message per transition ({@link Payloads#slack}). */
public final class SlackSink implements NotificationSink {

  private final URI url;
  private final HttpSender http;

  /**
   * @param url the incoming webhook's URL (a secret: it carries the token)
   */
  public SlackSink(URI url, HttpSender http) {
    this.url = url;
    this.http = http;
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public String target() {
    return HttpSender.redact(url);
  }

  @Override
  public Result send(Notification n) {
    return http.post(url, Payloads.slack(n), Map.of());
  }

  @Override
  public java.time.Duration sendTimeout() {
    return http.timeout().multipliedBy(2); // connecting, then the request
  }
}
