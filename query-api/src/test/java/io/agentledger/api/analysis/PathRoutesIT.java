package io.agentledger.api.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.RunSummary;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /agents/{agent}/paths} over real HTTP on a real DuckDB store, with a generated
 * workload of known distribution: 10,000 runs of version 1.0 taking A→B 70 %, A→C→B 20 %, A→C×3→B
 * 10 % of the time, and 10,000 runs of version 2.0 taking them 40 %, 30 %, 30 %.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathRoutesIT {

  static final String KEY_A = "alpha-key-0123456789abcdef";
  static final String KEY_B = "beta-key-0123456789abcdef0";
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final List<String> AB = List.of("llm:gpt-4o", "tool:lookup");
  static final List<String> ACB = List.of("llm:gpt-4o", "tool:search", "tool:lookup");
  static final List<String> AC3B = List.of("llm:gpt-4o", "tool:search ×3", "tool:lookup");
  static final ObjectMapper JSON = new ObjectMapper();

  DuckDbSpanStore store;
  QueryApiServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    store = DuckDbSpanStore.inMemory(clock);
    Random random = new Random(42);
    seed(random, "1.0", new double[] {0.7, 0.2, 0.1}, 0);
    seed(random, "2.0", new double[] {0.4, 0.3, 0.3}, 10_000);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse("alpha:" + KEY_A + ",beta:" + KEY_B),
            PriceCatalog.bundled(),
            registry,
            clock,
            "test");
    server = new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0);
  }

  /** 10,000 runs of agent "support" in project alpha over the last day, in chains of 100. */
  private void seed(Random random, String version, double[] shares, int firstTrace) {
    List<RunSummary> runs = new ArrayList<>();
    List<String> traces = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      double u = random.nextDouble();
      List<String> path = u < shares[0] ? AB : u < shares[0] + shares[1] ? ACB : AC3B;
      String trace = String.format("%032x", firstTrace + i);
      traces.add(trace);
      int steps = path == AB ? 2 : path == ACB ? 3 : 5;
      runs.add(
          new RunSummary(
              "alpha",
              trace,
              "0000000000000001",
              "support",
              version,
              "svc",
              "",
              "",
              NOW.minusSeconds(1 + random.nextInt(86_000)),
              steps * 400L,
              new BigDecimal("0.01").multiply(BigDecimal.valueOf(steps)),
              true,
              100,
              10,
              1,
              steps - 1,
              path == AC3B && random.nextInt(4) == 0 ? 1 : 0,
              0,
              List.of("gpt-4o"),
              path,
              Map.of()));
      if (runs.size() == 1_000) {
        store.replaceRuns("alpha", traces, runs);
        runs.clear();
        traces.clear();
      }
    }
  }

  @AfterAll
  void stop() {
    server.close();
    store.close();
  }

  private JsonNode ok(String path) throws Exception {
    HttpResponse<String> r = get(path, KEY_A);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + path))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode child(JsonNode node, String step) {
    for (JsonNode c : node.path("children")) {
      if (c.path("step").asText().equals(step)) {
        return c;
      }
    }
    throw new AssertionError("no child " + step + " under " + node.path("step"));
  }

  @Test
  void sharesMatchTheGeneratedDistribution_withinOnePoint() throws Exception {
    JsonNode body = ok("/agents/support/paths?version=1.0");

    assertThat(body.path("agent").asText()).isEqualTo("support");
    assertThat(body.path("version").asText()).isEqualTo("1.0");
    assertThat(body.path("runs").asLong()).isEqualTo(10_000);
    JsonNode root = body.path("root");
    assertThat(root.path("step").asText()).isEqualTo("agent:support");
    JsonNode a = child(root, "llm:gpt-4o");
    assertThat(a.path("share").asDouble()).isEqualTo(1.0);
    assertThat(child(a, "tool:lookup").path("share").asDouble()).isCloseTo(0.7, within(0.01));
    assertThat(child(a, "tool:search").path("share").asDouble()).isCloseTo(0.2, within(0.01));
    JsonNode loop = child(a, "tool:search ×3");
    assertThat(loop.path("share").asDouble()).isCloseTo(0.1, within(0.01));
    assertThat(child(loop, "tool:lookup").path("runs").asLong())
        .isEqualTo(loop.path("runs").asLong());
    // Every loop run costs 5 × $0.01 and lasts 2 s; a quarter of them failed.
    assertThat(loop.path("costUsd").path("mean").decimalValue()).isEqualByComparingTo("0.05");
    assertThat(loop.path("costUsd").path("p95").decimalValue()).isEqualByComparingTo("0.05");
    assertThat(loop.path("durationMs").path("p95").decimalValue()).isEqualByComparingTo("2000");
    assertThat(loop.path("errorRate").asDouble()).isCloseTo(0.25, within(0.05));
    assertThat(loop.path("exampleTraceIds")).isNotEmpty().hasSizeLessThanOrEqualTo(3);
    assertThat(loop.path("shareDelta").isNull()).isTrue();
    assertThat(body.path("compare").isNull()).isTrue();
  }

  @Test
  void comparison_showsTheGeneratedShift() throws Exception {
    JsonNode body = ok("/agents/support/paths?version=2.0&compare=1.0");

    JsonNode now = child(body.path("root"), "llm:gpt-4o");
    JsonNode then = child(body.path("compare").path("root"), "llm:gpt-4o");
    assertThat(body.path("compare").path("version").asText()).isEqualTo("1.0");
    assertThat(body.path("compare").path("runs").asLong()).isEqualTo(10_000);
    // 40 % − 70 %, 30 % − 20 %, 30 % − 10 %, within two points.
    assertThat(child(now, "tool:lookup").path("shareDelta").asDouble())
        .isCloseTo(-0.3, within(0.02));
    assertThat(child(now, "tool:search").path("shareDelta").asDouble())
        .isCloseTo(0.1, within(0.02));
    assertThat(child(now, "tool:search ×3").path("shareDelta").asDouble())
        .isCloseTo(0.2, within(0.02));
    assertThat(child(then, "tool:search ×3").path("shareDelta").asDouble())
        .isEqualTo(child(now, "tool:search ×3").path("shareDelta").asDouble());
  }

  @Test
  void everyVersion_andMinShareFolding() throws Exception {
    JsonNode all = ok("/agents/support/paths");
    assertThat(all.path("runs").asLong()).isEqualTo(20_000);
    assertThat(all.path("version").isNull()).isTrue();

    // At 25 %: A→B (70 %) stays; A→C→B (20 %) and the loop (10 %) fold into "other".
    JsonNode a =
        child(ok("/agents/support/paths?version=1.0&minShare=0.25").path("root"), "llm:gpt-4o");
    assertThat(a.path("children"))
        .extracting(n -> n.path("step").asText())
        .containsExactly("tool:lookup", "other");
    assertThat(child(a, "other").path("share").asDouble()).isCloseTo(0.3, within(0.01));
  }

  @Test
  void unknownCompareVersion_isAnEmptyTree_unknownAgentIs404_andOtherProjectsSeeNothing()
      throws Exception {
    JsonNode body = ok("/agents/support/paths?version=1.0&compare=9.9");
    assertThat(body.path("compare").path("runs").asLong()).isZero();
    assertThat(body.path("compare").path("root").path("children")).isEmpty();
    assertThat(child(body.path("root"), "llm:gpt-4o").path("shareDelta").asDouble()).isEqualTo(1.0);

    assertThat(ok("/agents/support/paths?version=9.9").path("runs").asLong()).isZero();
    assertThat(get("/agents/nobody/paths", KEY_A).statusCode()).isEqualTo(404);
    assertThat(get("/agents/support/paths", KEY_B).statusCode()).isEqualTo(404);
  }

  @Test
  void badParameters_are400() throws Exception {
    for (String q :
        List.of(
            "minShare=1.5",
            "minShare=-0.1",
            "minShare=abc",
            "minShare=NaN",
            "compare=1.0",
            "from=x")) {
      HttpResponse<String> r = get("/agents/support/paths?" + q, KEY_A);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .as(q)
          .startsWith("application/problem+json");
    }
  }
}
