package io.agentledger.standalone;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.agentledger.analyzer.notify.WebhookSink;
import io.agentledger.core.span.AgentSpan;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts in the running standalone: a rule created through the API fires from stored spans, a
 * signed webhook receives it, deleting the rule resolves it, and the cost metrics show the spend.
 */
class AlertsStandaloneIT {

  private static final String KEY = "al_test_key_0123456789";
  private static final String SECRET = "webhook-secret-0123";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRuleFromTheApi_firesToTheWebhook_resolvesWhenDeleted_andMetricsCountTheSpend()
      throws Exception {
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    List<String> signatures = new CopyOnWriteArrayList<>();
    List<String> timestamps = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            bodies.add(in.readAllBytes());
          }
          signatures.add(ex.getRequestHeaders().getFirst(WebhookSink.SIGNATURE));
          timestamps.add(ex.getRequestHeaders().getFirst(WebhookSink.TIMESTAMP));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "100ms");
    env.put("AGENTLEDGER_ALERT_INTERVAL", "1s");
    env.put(
        "AGENTLEDGER_ALERT_WEBHOOK_URL",
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    env.put("AGENTLEDGER_ALERT_WEBHOOK_SECRET", SECRET);
    try (Standalone app = Standalone.start(StandaloneConfig.from(env))) {
      app.store().append(chain(Instant.now().minusSeconds(60)));

      HttpResponse<String> created =
          send(
              app,
              "POST",
              "/api/v1/alerts/rules",
              "{\"name\":\"agent budget\",\"kind\":\"budget\",\"scope\":\"agent\","
                  + "\"window\":\"1h\",\"threshold\":0.5}");
      assertThat(created.statusCode()).isEqualTo(200);
      String ruleId = JSON.readTree(created.body()).get("id").asText();

      Awaitility.await("the firing notification")
          .atMost(Duration.ofSeconds(30))
          .until(() -> bodies.size() >= 1);
      JsonNode fired = JSON.readTree(bodies.get(0));
      assertThat(fired.get("status").asText()).isEqualTo("firing");
      assertThat(fired.at("/labels/agent").asText()).isEqualTo("writer");
      assertThat(signatures.get(0))
          .isEqualTo("sha256=" + WebhookSink.sign(SECRET, timestamps.get(0), bodies.get(0)));
      JsonNode alerts = JSON.readTree(send(app, "GET", "/api/v1/alerts", null).body());
      assertThat(alerts.get("items"))
          .singleElement()
          .satisfies(a -> assertThat(a.get("status").asText()).isEqualTo("firing"));

      assertThat(send(app, "DELETE", "/api/v1/alerts/rules/" + ruleId, null).statusCode())
          .isEqualTo(200);
      Awaitility.await("the resolved notification")
          .atMost(Duration.ofSeconds(30))
          .until(() -> bodies.size() >= 2);
      assertThat(JSON.readTree(bodies.get(1)).get("status").asText()).isEqualTo("resolved");

      Awaitility.await("the cost metrics")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          http.send(
                                  HttpRequest.newBuilder(app.apiBase().resolve("/metrics")).build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .body())
                      .contains(
                          "agentledger_cost_usd_total{agent=\"writer\",model=\"claude\","
                              + "project=\"acme\",provider=\"anthropic\"} 0.7")
                      .contains(
                          "agentledger_llm_calls_total{agent=\"planner\",model=\"gpt-4o\","
                              + "project=\"acme\",provider=\"openai\"} 1.0"));
      assertThat(bodies).hasSize(2);
    } finally {
      receiver.stop(0);
    }
  }

  /** planner → gpt-4o $0.20; writer → claude $0.70. */
  private static List<AgentSpan> chain(Instant start) {
    long t = start.getEpochSecond() * 1_000_000_000L;
    String trace = "0af7651916cd43dd8448eb211c80aaaa";
    return List.of(
        span("root", null).trace(trace).project("acme").agent("planner").startEpochNanos(t).build(),
        span("l1", "root")
            .trace(trace)
            .project("acme")
            .llm("openai", "gpt-4o")
            .usage(100, 10, "0.20")
            .startEpochNanos(t + 1_000_000)
            .build(),
        span("w", "root")
            .trace(trace)
            .project("acme")
            .agent("writer")
            .startEpochNanos(t + 2_000_000)
            .build(),
        span("l2", "w")
            .trace(trace)
            .project("acme")
            .llm("anthropic", "claude")
            .usage(100, 10, "0.70")
            .startEpochNanos(t + 3_000_000)
            .build());
  }

  private HttpResponse<String> send(Standalone app, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(app.apiBase() + path))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
