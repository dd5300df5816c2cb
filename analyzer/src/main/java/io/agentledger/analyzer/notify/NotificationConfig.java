package io.agentledger.analyzer.notify;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
import io.agentledger.store.NotificationOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The alert sinks and their delivery settings ({@code AGENTLEDGER_ALERT_*}); a sink is on when its
 * URL is set. URLs are checked at start with the other settings; the Slack URL and the webhook
 * secret are secrets (masked in errors and dumps), and every URL is logged as scheme, host and port
 * only.
 *
 * @param webhookUrl the generic JSON webhook
 * @param webhookSecret the webhook's HMAC-SHA256 key; empty sends no signature
 * @param slackUrl the Slack incoming webhook
 * @param alertmanagerUrl the Alertmanager's base URL ({@code /api/v2/alerts} is appended)
 * @param alertmanagerRemind how often firing alerts are re-posted to Alertmanager
 * @param backoff retries of failed deliveries
 * @param poll how often each sink's queue is looked at
 * @param retention how long delivered notifications are kept in the outbox
 * @param httpTimeout the sinks' HTTP timeout, of connecting and of the request each
 */
public record NotificationConfig(
    Optional<URI> webhookUrl,
    String webhookSecret,
    Optional<URI> slackUrl,
    Optional<URI> alertmanagerUrl,
    Duration alertmanagerRemind,
    Backoff backoff,
    Duration poll,
    Duration retention,
    Duration httpTimeout) {

  static final Setting<Optional<URI>> WEBHOOK_URL =
      url("AGENTLEDGER_ALERT_WEBHOOK_URL", false, "generic JSON webhook for alerts (HMAC-signed)");
  static final Setting<String> WEBHOOK_SECRET =
      Settings.secret(
          "AGENTLEDGER_ALERT_WEBHOOK_SECRET",
          "",
          "HMAC-SHA256 key of the webhook's X-AgentLedger-Signature header (empty: unsigned)");
  static final Setting<Optional<URI>> SLACK_URL =
      url("AGENTLEDGER_ALERT_SLACK_URL", true, "Slack incoming webhook URL for alerts (a secret)");
  static final Setting<Optional<URI>> ALERTMANAGER_URL =
      url(
          "AGENTLEDGER_ALERTMANAGER_URL",
          false,
          "Prometheus Alertmanager base URL (http://host:9093); alerts go to /api/v2/alerts");
  static final Setting<Duration> ALERTMANAGER_REMIND =
      Settings.duration(
          "AGENTLEDGER_ALERTMANAGER_REMIND",
          "1m",
          Duration.ofSeconds(1),
          "how often firing alerts are re-posted to Alertmanager (they lapse after 4 intervals)");
  static final Setting<Duration> RETRY_INITIAL =
      Settings.duration(
          "AGENTLEDGER_ALERT_RETRY_INITIAL",
          "5s",
          Duration.ofMillis(1),
          "wait before retrying a failed alert delivery; doubles per failure");
  static final Setting<Duration> RETRY_MAX =
      Settings.duration(
          "AGENTLEDGER_ALERT_RETRY_MAX",
          "5m",
          Duration.ofMillis(1),
          "longest wait between retries of an alert delivery");
  static final Setting<Duration> GIVE_UP =
      Settings.duration(
          "AGENTLEDGER_ALERT_GIVE_UP",
          "24h",
          Duration.ofSeconds(1),
          "an alert delivery still failing this long after its transition is dropped");

  static final Setting<Duration> RETENTION =
      Settings.duration(
          "AGENTLEDGER_ALERT_RETENTION",
          "7d",
          Duration.ofHours(1),
          "delivered (or given up) alert notifications older than this are deleted from the"
              + " outbox; each finding's latest is kept");

  static final Setting<Duration> HTTP_TIMEOUT =
      Settings.duration(
          "AGENTLEDGER_ALERT_HTTP_TIMEOUT",
          "10s",
          Duration.ofMillis(100),
          "the sinks' timeout of connecting and of a request each (on ClickHouse a delivery"
              + " starts only while the sink's lease lasts twice this and a second more)");

  /** How often delivered notifications past the retention are deleted. */
  static final Duration RETENTION_INTERVAL = Duration.ofHours(1);

  /** The sink settings, with their rules. */
  public static final Settings SETTINGS =
      Settings.of(
          List.of(
              WEBHOOK_URL,
              WEBHOOK_SECRET,
              SLACK_URL,
              ALERTMANAGER_URL,
              ALERTMANAGER_REMIND,
              RETRY_INITIAL,
              RETRY_MAX,
              GIVE_UP,
              RETENTION,
              HTTP_TIMEOUT),
          List.of(
              Settings.rule(
                  v ->
                      v.get(RETRY_MAX).compareTo(v.get(RETRY_INITIAL)) < 0
                          ? Optional.of(
                              RETRY_MAX.name()
                                  + " must not be shorter than "
                                  + RETRY_INITIAL.name())
                          : Optional.empty(),
                  RETRY_INITIAL,
                  RETRY_MAX)));

  /**
   * Reads the sink settings from values loaded with {@link #SETTINGS} (or a table including it).
   */
  public static NotificationConfig from(Settings.Values v) {
    return new NotificationConfig(
        v.get(WEBHOOK_URL),
        v.get(WEBHOOK_SECRET),
        v.get(SLACK_URL),
        v.get(ALERTMANAGER_URL),
        v.get(ALERTMANAGER_REMIND),
        new Backoff(v.get(RETRY_INITIAL), v.get(RETRY_MAX), v.get(GIVE_UP)),
        Duration.ofSeconds(1),
        v.get(RETENTION),
        v.get(HTTP_TIMEOUT));
  }

  /** No sinks (tests, or nothing configured). */
  public static NotificationConfig none() {
    return new NotificationConfig(
        Optional.empty(),
        "",
        Optional.empty(),
        Optional.empty(),
        Duration.ofMinutes(1),
        new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(24)),
        Duration.ofSeconds(1),
        Duration.ofDays(7),
        Duration.ofSeconds(10));
  }

  /** The configured sinks. */
  public List<NotificationSink> sinks(Clock clock) {
    HttpSender http = new HttpSender(httpTimeout);
    List<NotificationSink> out = new ArrayList<>();
    webhookUrl.ifPresent(u -> out.add(new WebhookSink(u, webhookSecret, http, clock)));
    slackUrl.ifPresent(u -> out.add(new SlackSink(u, http)));
    alertmanagerUrl.ifPresent(
        u -> out.add(new AlertmanagerSink(u, alertmanagerRemind, http, clock)));
    return out;
  }

  /** Builds the publisher and starts one worker per sink; close the result to stop them. */
  public NotificationService start(NotificationOutbox outbox, Clock clock, MeterRegistry registry) {
    return start(outbox, clock, registry, job -> Lease.ALWAYS);
  }

  /**
   * Like {@link #start(NotificationOutbox, Clock, MeterRegistry)}, each sink's worker and the
   * outbox retention running only while this instance holds their lease ({@link
   * io.agentledger.analyzer.lease.Leases#sink}, {@link
   * io.agentledger.analyzer.lease.Leases#RETENTION}).
   */
  public NotificationService start(
      NotificationOutbox outbox,
      Clock clock,
      MeterRegistry registry,
      Function<String, Lease> leases) {
    return NotificationService.start(
        sinks(clock),
        outbox,
        backoff,
        poll,
        new OutboxRetention(outbox, retention, clock, registry),
        RETENTION_INTERVAL,
        clock,
        registry,
        leases);
  }

  /** Never prints the secret or a URL's path and query. */
  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    webhookUrl.ifPresent(u -> shown.add("webhook=" + HttpSender.redact(u)));
    slackUrl.ifPresent(u -> shown.add("slack=" + HttpSender.redact(u)));
    alertmanagerUrl.ifPresent(u -> shown.add("alertmanager=" + HttpSender.redact(u)));
    return "NotificationConfig" + shown;
  }

  /** An http(s) URL with a host, or empty. */
  private static Setting<Optional<URI>> url(String name, boolean secret, String doc) {
    return new Setting<>(name, NotificationConfig::parseUrl, "", secret, doc);
  }

  static Optional<URI> parseUrl(String raw) {
    if (raw.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("must name a host");
    }
    return Optional.of(uri);
  }
}
