package io.agentledger.analyzer.notify;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.analyzer.alert.AlertEvaluator;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertRules;
import io.agentledger.store.Notification;
import io.agentledger.store.TestClock;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budget rule's alert, end to end: evaluated from stored spans, published to the outbox, and
 * delivered to a signed JSON webhook, a Slack-shaped receiver, a real Alertmanager, and a receiver
 * that fails for a minute; then resolved the same way. Time is a test clock: the failing minute
 * passes without waiting for it.
 */
class AlertDeliveryIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cret-for-the-test";

  @TempDir Path dir;

  private TestClock clock;
  private TestClock flakyClock;
  private DuckDbSpanStore store;
  private Receiver webhook;
  private Receiver slack;
  private Receiver flaky;
  private LocalAlertmanager alertmanager;

  @BeforeEach
  void start() throws Exception {
    // Fails rather than skips: delivery to a real Alertmanager is what this test is for.
    if (!LocalAlertmanager.installed()) {
      throw new IllegalStateException(
          "prometheus-alertmanager is not installed: run .ci/test-tools (.ci/run does)");
    }
    // Near real time: Alertmanager judges startsAt/endsAt by its own clock.
    clock = new TestClock(Instant.now());
    flakyClock = new TestClock(clock.instant());
    Instant failingUntil = flakyClock.instant().plus(Duration.ofMinutes(1));
    store = DuckDbSpanStore.inMemory(clock);
    webhook = new Receiver(() -> 200);
    slack = new Receiver(() -> 200);
    flaky = new Receiver(() -> flakyClock.instant().isBefore(failingUntil) ? 500 : 200);
    alertmanager = new LocalAlertmanager(dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {alertmanager, flaky, slack, webhook, store}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void aBudgetAlert_firesAndResolvesOnce_inEverySink_andAFailingSinkCatchesUpOnce()
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HttpSender http = new HttpSender(Duration.ofSeconds(5));
    Backoff backoff =
        new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofHours(1));
    NotificationSink flakySink =
        new Renamed("flaky", new WebhookSink(flaky.url("/hook"), "", http, flakyClock));
    List<NotificationSink> sinks =
        List.of(
            new WebhookSink(webhook.url("/hook"), SECRET, http, clock),
            new SlackSink(slack.url("/services/T0/B0/xyz"), http),
            new AlertmanagerSink(alertmanager.base(), Duration.ofMinutes(1), http, clock),
            flakySink);
    List<SinkWorker> workers = new ArrayList<>();
    for (NotificationSink s : sinks) {
      workers.add(new SinkWorker(s, store, backoff, s == flakySink ? flakyClock : clock, registry));
    }
    Notifications notifications =
        new Notifications(store, sinks.stream().map(NotificationSink::name).toList(), registry);
    AlertEvaluator evaluator = new AlertEvaluator(store, store, notifications, clock, registry);

    ingest("u-1", "0.40", "0.30");
    ingest("u-2", "0.10");
    AlertRule rule =
        new AlertRule(
            "p",
            "per-user-day",
            "more than $0.50 per user per day",
            AlertRules.BUDGET,
            "userId",
            "",
            Duration.ofDays(1),
            0.5,
            0,
            "critical",
            true,
            clock.instant(),
            clock.instant());
    store.saveAlertRule(rule);

    // --- fires -----------------------------------------------------------------------------------
    List<Notification> fired = evaluator.evaluateOnce();
    assertThat(fired).singleElement().extracting(Notification::status).isEqualTo("firing");
    String findingId = fired.get(0).findingId();
    workers.forEach(SinkWorker::deliverOnce);

    assertThat(webhook.requests()).singleElement().satisfies(r -> verifyWebhook(r, "firing"));
    assertThat(slack.requests())
        .singleElement()
        .satisfies(
            r -> {
              JsonNode body = JSON.readTree(r.body());
              assertThat(body.get("text").asText())
                  .startsWith(":rotating_light: [FIRING] critical alert budget in project p:")
                  .contains("userId u-1");
              assertThat(fields(body)).contains("userId=u-1", "observed=0.7", "threshold=0.5");
            });
    Awaitility.await("the alert is active in Alertmanager")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              JsonNode alert = alertmanagerAlert(findingId);
              assertThat(alert).isNotNull();
              assertThat(alert.at("/status/state").asText()).isEqualTo("active");
              assertThat(alert.at("/labels/alertname").asText())
                  .isEqualTo("agentledger_alert_budget");
              assertThat(alert.at("/labels/userId").asText()).isEqualTo("u-1");
              assertThat(alert.at("/labels/severity").asText()).isEqualTo("critical");
              assertThat(alert.at("/annotations/summary").asText()).contains("u-1");
            });

    // The failing sink: answered 500, so it waits for its retry; the others were not held up.
    assertThat(flaky.requests())
        .singleElement()
        .extracting(Receiver.Request::answered)
        .isEqualTo(500);
    assertThat(flaky.accepted()).isEmpty();
    // a minute of failures passes on its own clock: retries at +5 s, +15 s, +35 s, +55 s, +75 s
    for (int i = 0; i < 100 && flaky.accepted().isEmpty(); i++) {
      flakyClock.advance(Duration.ofSeconds(5));
      workers.get(3).deliverOnce();
    }
    assertThat(flaky.accepted())
        .singleElement()
        .satisfies(
            r -> assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("firing"));
    assertThat(flaky.requests()).hasSize(6); // 5 answered 500, then the one that got through
    // delivered once: neither this worker nor a restarted one sends it again
    flakyClock.advance(Duration.ofMinutes(10));
    workers.get(3).deliverOnce();
    new SinkWorker(flakySink, store, backoff, flakyClock, registry).deliverOnce();
    assertThat(flaky.requests()).hasSize(6);

    // Alertmanager is reminded of firing alerts, which keeps them from lapsing.
    workers.get(2).remindIfDue();
    assertThat(alertmanagerAlert(findingId)).isNotNull();

    // --- stays firing without repeating, then resolves ----------------------------------------
    assertThat(evaluator.evaluateOnce()).isEmpty();
    clock.advance(positive(Duration.between(clock.instant(), Instant.now())));
    store.saveAlertRule(
        new AlertRule(
            rule.project(),
            rule.id(),
            rule.name(),
            rule.kind(),
            rule.scope(),
            rule.match(),
            rule.window(),
            1.0,
            0,
            rule.severity(),
            true,
            rule.createdAt(),
            clock.instant()));
    List<Notification> resolved = evaluator.evaluateOnce();
    assertThat(resolved)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.status()).isEqualTo("resolved");
              assertThat(n.findingId()).isEqualTo(findingId);
            });
    workers.forEach(SinkWorker::deliverOnce);

    assertThat(webhook.requests()).hasSize(2);
    verifyWebhook(webhook.requests().get(1), "resolved");
    assertThat(slack.requests()).hasSize(2);
    assertThat(JSON.readTree(slack.requests().get(1).body()).get("text").asText())
        .startsWith(":white_check_mark: [RESOLVED] critical alert budget in project p:");
    assertThat(flaky.accepted()).hasSize(2);
    Awaitility.await("the alert is resolved in Alertmanager")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(alertmanagerAlert(findingId)).isNull());

    // --- and nothing more ------------------------------------------------------------------------
    clock.advance(Duration.ofMinutes(5));
    assertThat(evaluator.evaluateOnce()).isEmpty();
    workers.forEach(SinkWorker::deliverOnce);
    assertThat(webhook.requests()).hasSize(2);
    assertThat(slack.requests()).hasSize(2);
    assertThat(flaky.accepted()).hasSize(2);
    assertThat(store.pendingDeliveries("alertmanager", 10)).isEmpty();
  }

  /** The receiver's side of the documented signature check. */
  private static void verifyWebhook(Receiver.Request r, String status) throws Exception {
    String timestamp = r.header(WebhookSink.TIMESTAMP);
    String signature = r.header(WebhookSink.SIGNATURE);
    assertThat(signature).startsWith("sha256=");
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(r.body()));
    assertThat(
            MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8)))
        .as("signature over the raw body")
        .isTrue();
    // a tampered body would not verify
    byte[] tampered =
        new String(r.body(), StandardCharsets.UTF_8)
            .replace("u-1", "u-9")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(WebhookSink.sign(SECRET, timestamp, tampered)).isNotEqualTo(signature.substring(7));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo(status);
    assertThat(body.get("source").asText()).isEqualTo("alert");
    assertThat(body.at("/labels/userId").asText()).isEqualTo("u-1");
    assertThat(r.header(WebhookSink.DELIVERY)).isEqualTo(body.get("id").asText());
    assertThat(body.has("endsAt")).isEqualTo(status.equals("resolved"));
  }

  private static List<String> fields(JsonNode slackBody) {
    return StreamSupport.stream(slackBody.at("/attachments/0/fields").spliterator(), false)
        .map(f -> f.get("title").asText() + "=" + f.get("value").asText())
        .toList();
  }

  private JsonNode alertmanagerAlert(String findingId) throws Exception {
    JsonNode alerts = JSON.readTree(alertmanager.get("/api/v2/alerts").body());
    for (JsonNode a : alerts) {
      if (a.at("/labels/finding_id").asText().equals(findingId)) {
        return a;
      }
    }
    return null;
  }

  private int traces;

  private void ingest(String user, String... costs) {
    String trace = String.format("%032x", 0xfeed00L + ++traces);
    long start = (clock.instant().toEpochMilli() - 60_000) * 1_000_000;
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(
        span("root", null)
            .trace(trace)
            .project("p")
            .agent("planner")
            .user(user)
            .startEpochNanos(start)
            .build());
    for (int i = 0; i < costs.length; i++) {
      spans.add(
          span("llm" + i, "root")
              .trace(trace)
              .project("p")
              .llm("openai", "gpt-4o")
              .user(user)
              .usage(100, 10, costs[i])
              .startEpochNanos(start + (i + 1) * 1_000_000L)
              .build());
    }
    store.append(spans);
    store.saveRollups(List.of(ChainRollup.compute(spans)));
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** A sink under another name, for a second webhook. */
  private record Renamed(String name, NotificationSink sink) implements NotificationSink {
    @Override
    public String target() {
      return sink.target();
    }

    @Override
    public Result send(Notification n) {
      return sink.send(n);
    }
  }
}
