package io.agentledger.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.AlertState;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /alerts/rules} and {@code /alerts} over real HTTP on a real DuckDB store. */
class AlertRulesIT {

  static final String KEY_A = "alpha-key-0123456789abcdef";
  static final String KEY_B = "beta-key-0123456789abcdef0";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BUDGET =
      "{\"name\":\"more than $50 per user per day\",\"kind\":\"budget\",\"scope\":\"userId\","
          + "\"window\":\"1d\",\"threshold\":50}";

  DuckDbSpanStore store;
  QueryApiServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = DuckDbSpanStore.inMemory(Clock.systemUTC());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse("alpha:" + KEY_A + ",beta:" + KEY_B),
            PriceCatalog.bundled(),
            registry,
            Clock.systemUTC(),
            "test");
    server = new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private HttpResponse<String> send(String method, String path, String key, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void crud_roundTrips_andEachKeySeesOnlyItsProject() throws Exception {
    HttpResponse<String> created = send("POST", "/alerts/rules", KEY_A, BUDGET);
    assertThat(created.statusCode()).isEqualTo(200);
    JsonNode rule = json(created);
    String id = rule.get("id").asText();
    assertThat(id).startsWith("rule-");
    assertThat(rule.get("kind").asText()).isEqualTo("budget");
    assertThat(rule.get("scope").asText()).isEqualTo("userId");
    assertThat(rule.get("window").asText()).isEqualTo("24h");
    assertThat(rule.get("windowSeconds").asLong()).isEqualTo(86_400);
    assertThat(rule.get("threshold").asDouble()).isEqualTo(50);
    assertThat(rule.get("severity").asText()).isEqualTo("warning");
    assertThat(rule.get("enabled").asBoolean()).isTrue();

    assertThat(json(send("GET", "/alerts/rules", KEY_A, null)).get("items"))
        .singleElement()
        .satisfies(r -> assertThat(r.get("id").asText()).isEqualTo(id));
    // project beta sees nothing of alpha's, and cannot read, change or delete it
    assertThat(json(send("GET", "/alerts/rules", KEY_B, null)).get("items")).isEmpty();
    assertThat(send("GET", "/alerts/rules/" + id, KEY_B, null).statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/alerts/rules/" + id, KEY_B, BUDGET).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/alerts/rules/" + id, KEY_B, null).statusCode()).isEqualTo(404);

    HttpResponse<String> replaced =
        send(
            "PUT",
            "/alerts/rules/" + id,
            KEY_A,
            "{\"name\":\"burn\",\"kind\":\"burn_rate\",\"scope\":\"agent\",\"match\":\"planner\","
                + "\"window\":\"PT30M\",\"threshold\":2.5,\"minCalls\":3,\"severity\":\"critical\","
                + "\"enabled\":false}");
    assertThat(replaced.statusCode()).isEqualTo(200);
    JsonNode r = json(replaced);
    assertThat(r.get("id").asText()).isEqualTo(id);
    assertThat(r.get("match").asText()).isEqualTo("planner");
    assertThat(r.get("windowSeconds").asLong()).isEqualTo(1800);
    assertThat(r.get("createdAt").asText()).isEqualTo(rule.get("createdAt").asText());
    assertThat(json(send("GET", "/alerts/rules/" + id, KEY_A, null))).isEqualTo(r);

    assertThat(send("DELETE", "/alerts/rules/" + id, KEY_A, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/alerts/rules/" + id, KEY_A, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/alerts/rules/" + id, KEY_A, null).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":5}|name",
        "{\"name\":\"x\",\"kind\":\"spend\",\"window\":\"1d\",\"threshold\":5}|kind",
        "{\"name\":\"x\",\"kind\":\"budget\",\"scope\":\"session\",\"window\":\"1d\",\"threshold\":5}|scope",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"soon\",\"threshold\":5}|window",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"10s\",\"threshold\":5}|window",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"90d\",\"threshold\":5}|window",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":-1}|threshold",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":\"5\"}|threshold",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\"}|threshold",
        "{\"name\":\"x\",\"kind\":\"unpriced_share\",\"window\":\"1d\",\"threshold\":1.5}|threshold",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":5,\"minCalls\":1.5}|minCalls",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":5,\"severity\":\"page\"}|severity",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":5,\"enabled\":\"yes\"}|enabled",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":5,\"match\":\"a\"}|match",
        "{\"name\":\"x\",\"kind\":\"budget\",\"window\":\"1d\",\"threshold\":5,\"budget\":1}|budget",
      })
  void invalidBodies_are400ProblemsNamingTheField(String body, String field) throws Exception {
    HttpResponse<String> r = send("POST", "/alerts/rules", KEY_A, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = json(r);
    assertThat(problem.get("field").asText()).isEqualTo(field);
    assertThat(problem.get("detail").asText()).startsWith(field + ": ");
    assertThat(json(send("GET", "/alerts/rules", KEY_A, null)).get("items")).isEmpty();
  }

  @Test
  void notJson_is400_andAProjectHoldsABoundedNumberOfRules() throws Exception {
    assertThat(send("POST", "/alerts/rules", KEY_A, "{nope").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/alerts/rules", KEY_A, "[]").statusCode()).isEqualTo(400);
    for (int i = 0; i < AlertRuleRoutes.MAX_RULES_PER_PROJECT; i++) {
      assertThat(send("POST", "/alerts/rules", KEY_A, BUDGET).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> over = send("POST", "/alerts/rules", KEY_A, BUDGET);
    assertThat(over.statusCode()).isEqualTo(409);
    assertThat(json(over).get("detail").asText()).contains("100 alert rules");
    // another project is not affected
    assertThat(send("POST", "/alerts/rules", KEY_B, BUDGET).statusCode()).isEqualTo(200);
  }

  @Test
  void alerts_showTheProjectsAlertStates_shapedLikeAnomalies() throws Exception {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    store.saveAlertStates(
        List.of(
            new AlertState(
                "alpha",
                "alert-r-1",
                "r",
                Map.of("userId", "u-1"),
                "cost_usd",
                61.5,
                50,
                "warning",
                "firing",
                t,
                t.plusSeconds(60),
                "u-1 spent $61.5"),
            new AlertState(
                "beta",
                "alert-r-2",
                "r",
                Map.of(),
                "cost_usd",
                6,
                5,
                "warning",
                "firing",
                t,
                t,
                "")));
    JsonNode items = json(send("GET", "/alerts", KEY_A, null)).get("items");
    assertThat(items)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.get("id").asText()).isEqualTo("alert-r-1");
              assertThat(a.get("kind").asText()).isEqualTo("alert:budget");
              assertThat(a.at("/subject/userId").asText()).isEqualTo("u-1");
              assertThat(a.get("observed").asDouble()).isEqualTo(61.5);
              assertThat(a.at("/expected/high").asDouble()).isEqualTo(50);
              assertThat(a.get("status").asText()).isEqualTo("firing");
              assertThat(a.get("firstSeen").asText()).isEqualTo("2026-01-01T00:00:00Z");
            });
  }
}
