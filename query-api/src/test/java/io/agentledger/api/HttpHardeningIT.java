package io.agentledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.testing.TestSpans;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query API's limits and hardening (docs/security.md) over real HTTP, on a real DuckDB store:
 * security headers, 405 with {@code Allow}, bounded metric labels, 400 for bad numbers, times and
 * cursors, capped answers, validated price overrides and per-project limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpHardeningIT {

  static final String KEY_A = "alpha-key-0123456789abcdef";
  static final String KEY_B = "beta-key-0123456789abcdef0";
  static final String BIG_TRACE = "0af7651916cd43dd8448eb211c8031aa";
  static final int BIG_CHAIN_SPANS = 121;
  static final int MAX_SPANS = 50;
  static final int MAX_CELLS = 5;
  static final int MAX_OVERRIDES = 3;
  static final ObjectMapper JSON = new ObjectMapper();

  DuckDbSpanStore store;
  QueryApiServer server;
  QueryApiServer rateLimited;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path dir) {
    store = DuckDbSpanStore.open(dir.resolve("api.duckdb"), Clock.systemUTC());
    store.append(bigChain());
    store.append(costSpans());
    server = server(new TenantLimiter.Limits(2, 0, 1));
    rateLimited = server(new TenantLimiter.Limits(0, 1, 2));
  }

  private QueryApiServer server(TenantLimiter.Limits perProject) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse("alpha:" + KEY_A + ",beta:" + KEY_B),
            PriceCatalog.bundled(),
            registry,
            Clock.systemUTC(),
            "test",
            new ApiLimits(
                perProject,
                MAX_SPANS,
                MAX_CELLS,
                MAX_OVERRIDES,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30)));
    return new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0);
  }

  @AfterAll
  void stop() {
    server.close();
    rateLimited.close();
    store.close();
  }

  /** A root agent with 120 model calls under it, in project alpha. */
  private static List<AgentSpan> bigChain() {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(TestSpans.span("root", null).project("alpha").trace(BIG_TRACE).agent("a").build());
    for (int i = 1; i < BIG_CHAIN_SPANS; i++) {
      spans.add(
          TestSpans.span("c" + i, "root")
              .project("alpha")
              .trace(BIG_TRACE)
              .llm("openai", "gpt-4o")
              .at(i, 1)
              .usage(10, 1, "0.001")
              .build());
    }
    return spans;
  }

  /** Model calls of three models in three different minutes: nine groups × buckets. */
  private static List<AgentSpan> costSpans() {
    List<AgentSpan> spans = new ArrayList<>();
    String[] models = {"gpt-4o", "gpt-4o-mini", "o3"};
    for (int m = 0; m < 3; m++) {
      for (int minute = 0; minute < 3; minute++) {
        spans.add(
            TestSpans.span("m" + m + "t" + minute, null)
                .project("alpha")
                .trace("1af7651916cd43dd8448eb211c80310" + m)
                .llm("openai", models[m])
                .at(minute * 60_000L, 1)
                .usage(10, 1, "0.01")
                .build());
      }
    }
    return spans;
  }

  // --- helpers --------------------------------------------------------------------------------

  private HttpResponse<String> send(QueryApiServer s, String method, String path, String key)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    return send(server, "GET", path, key);
  }

  private HttpResponse<String> put(String path, String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String cursor(String plain) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  // --- headers, methods, metrics ----------------------------------------------------------------

  @Test
  void everyAnswer_carriesSecurityHeaders() throws Exception {
    for (HttpResponse<String> r :
        List.of(
            get("/health", null),
            get("/metrics", null),
            get("/api/v1/chains", null),
            get("/api/v1/chains", KEY_A),
            get("/api/v1/nothing-here", KEY_A))) {
      assertThat(r.headers().firstValue("X-Content-Type-Options"))
          .as(r.uri() + " " + r.statusCode())
          .hasValue("nosniff");
      assertThat(r.headers().firstValue("Cache-Control"))
          .as(r.uri().toString())
          .hasValue("no-store");
      assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
  }

  @Test
  void wrongMethodOnAKnownRoute_is405WithAllow() throws Exception {
    HttpResponse<String> post = send(server, "POST", "/api/v1/chains", KEY_A);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(post.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    HttpResponse<String> delete = send(server, "DELETE", "/api/v1/prices/openai/gpt-4o", KEY_A);
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("PUT");
    HttpResponse<String> health = send(server, "POST", "/health", null);
    assertThat(health.statusCode()).isEqualTo(405);
    assertThat(health.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(get("/api/v1/nothing-here", KEY_A).statusCode()).isEqualTo(404);
  }

  @Test
  void inventedMethods_doNotGrowMetrics() throws Exception {
    for (int i = 0; i < 3; i++) {
      send(server, "WARMUP" + i, "/api/v1/chains", KEY_A);
      send(server, "WARMUP" + i, "/nowhere", null);
    }
    int before = get("/metrics", null).body().length();
    for (int i = 0; i < 200; i++) {
      send(server, "INVENTED" + i, "/api/v1/chains", KEY_A);
      send(server, "INVENTED" + i, "/nowhere/" + i, null);
    }
    String metrics = get("/metrics", null).body();
    assertThat(metrics).doesNotContain("INVENTED").doesNotContain("/nowhere/");
    assertThat(metrics.length()).isLessThan(before + 4_000);
  }

  // --- bad input is 400, never 503 -------------------------------------------------------------

  static Stream<String> badParameters() {
    String trace = "0af7651916cd43dd8448eb211c80319c";
    return Stream.of(
        "/api/v1/chains?minCostUsd=1e40",
        "/api/v1/chains?minCostUsd=1e999999999",
        "/api/v1/chains?minCostUsd=0.0000000000001",
        "/api/v1/chains?minCostUsd=-1",
        "/api/v1/chains?from=" + q("-999999999-01-01T00:00:00Z"),
        "/api/v1/chains?to=" + q("+999999999-12-31T23:59:59Z"),
        "/api/v1/costs?from=" + q("-999999999-01-01T00:00:00Z"),
        "/api/v1/chains?cursor=" + q("!!not-base64!!"),
        "/api/v1/chains?cursor=YWJj",
        "/api/v1/chains?cursor=" + cursor("s1|99999999999999999999|" + trace),
        "/api/v1/chains?order=cost&cursor=" + cursor("c1|1e999999999|" + trace),
        "/api/v1/chains?order=cost&cursor=" + cursor("c1|1e40|" + trace),
        "/api/v1/chains?cursor=" + cursor("s1|5|x' OR 1=1 --"),
        "/api/v1/chains/" + BIG_TRACE + "?maxSpans=" + (MAX_SPANS + 1),
        "/api/v1/chains/" + BIG_TRACE + "?maxSpans=0");
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void badNumbersTimesAndCursors_are400WithAClearMessage(String path) throws Exception {
    HttpResponse<String> r = get(path, KEY_A);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Retry-After")).isEmpty();
    String detail = json(r).path("detail").asText();
    assertThat(detail).isNotBlank().doesNotContain("io.agentledger").doesNotContain("Exception");
  }

  // --- capped answers ---------------------------------------------------------------------------

  @Test
  void bigChain_treeIsCutAtMaxSpans_andMarked_whileTotalsCoverEverySpan() throws Exception {
    HttpResponse<String> r = get("/api/v1/chains/" + BIG_TRACE, KEY_A);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode chain = json(r);
    assertThat(chain.path("spanCount").asInt()).isEqualTo(BIG_CHAIN_SPANS);
    assertThat(chain.path("treeTruncated").asBoolean()).isTrue();
    assertThat(chain.path("treeSpans").asInt()).isEqualTo(MAX_SPANS);
    JsonNode root = chain.path("tree").get(0);
    assertThat(root.path("children")).hasSize(MAX_SPANS - 1);
    assertThat(root.path("omittedChildren").asInt()).isEqualTo(BIG_CHAIN_SPANS - MAX_SPANS);
    // all 120 calls, shown or not
    assertThat(root.path("totalCostUsd").decimalValue()).isEqualByComparingTo("0.12");

    JsonNode small = json(get("/api/v1/chains/" + BIG_TRACE + "?maxSpans=10", KEY_A));
    assertThat(small.path("treeSpans").asInt()).isEqualTo(10);
    assertThat(small.path("costUsd").decimalValue()).isEqualByComparingTo("0.12");
  }

  @Test
  void costs_moreGroupsTimesBucketsThanTheCap_is400() throws Exception {
    String range = "from=2025-11-23T12:00:00Z&to=2025-11-23T13:00:00Z";
    HttpResponse<String> tooMany = get("/api/v1/costs?groupBy=model&interval=1m&" + range, KEY_A);
    assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(400);
    assertThat(json(tooMany).path("detail").asText())
        .contains("groups × time buckets")
        .contains("limit of " + MAX_CELLS);
    HttpResponse<String> fine = get("/api/v1/costs?groupBy=model&" + range, KEY_A);
    assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
    assertThat(json(fine).path("groups")).hasSize(3);
  }

  // --- price overrides ---------------------------------------------------------------------------

  @Test
  void invalidPriceOverride_is400_andNothingIsStored() throws Exception {
    for (String body :
        List.of(
            "{\"input\": 1e40, \"output\": 1}",
            "{\"input\": 1, \"output\": 0.0000000000001}",
            "{\"input\": -1, \"output\": 1}",
            "{\"kind\": \"bogus\", \"input\": 1, \"output\": 1}",
            "{\"input\": 1, \"output\": 1, \"effectiveFrom\": \"+999999999-01-01\"}",
            "{\"input\": 1, \"output\": 1, \"tiers\": [{\"aboveInputTokens\": -5, \"input\": 1}]}")) {
      HttpResponse<String> r = put("/api/v1/prices/acme/bad-model", KEY_B, body);
      assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(400);
      assertThat(json(r).path("detail").asText())
          .doesNotContain("io.agentledger")
          .doesNotContain("ModelKind")
          .doesNotContain("No enum constant");
    }
    HttpResponse<String> prices = get("/api/v1/prices", KEY_B);
    assertThat(prices.statusCode()).isEqualTo(200);
    assertThat(prices.body()).doesNotContain("bad-model");
  }

  @Test
  void priceOverrides_areCappedPerProject_butReplacingOneIsAllowed() throws Exception {
    String prices = "{\"input\": 1, \"output\": 2}";
    for (int i = 0; i < MAX_OVERRIDES; i++) {
      assertThat(put("/api/v1/prices/acme/m" + i, KEY_A, prices).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> over = put("/api/v1/prices/acme/one-more", KEY_A, prices);
    assertThat(over.statusCode()).isEqualTo(409);
    assertThat(json(over).path("detail").asText()).contains(Integer.toString(MAX_OVERRIDES));
    assertThat(put("/api/v1/prices/acme/m0", KEY_A, "{\"input\": 3, \"output\": 4}").statusCode())
        .isEqualTo(200);
    assertThat(get("/api/v1/prices", KEY_A).statusCode()).isEqualTo(200);
  }

  // --- per-project limits ----------------------------------------------------------------------

  @Test
  void projectOverItsRate_gets429WithRetryAfter_whileAnotherProjectIsServed() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = send(rateLimited, "GET", "/api/v1/agents", KEY_A);
      statuses.add(r.statusCode());
      if (r.statusCode() == 429) {
        limited = r;
      }
    }
    assertThat(statuses.subList(0, 2)).containsOnly(200);
    assertThat(limited).as("statuses " + statuses).isNotNull();
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(send(rateLimited, "GET", "/api/v1/agents", KEY_B).statusCode()).isEqualTo(200);
  }

  @Test
  void projectOverItsConcurrency_gets429_whileAnotherProjectIsServed() throws Exception {
    try (SlowPut first = new SlowPut(server.port(), KEY_A);
        SlowPut second = new SlowPut(server.port(), KEY_A)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get("/api/v1/agents", KEY_A).statusCode() == 429);
      assertThat(get("/api/v1/agents", KEY_B).statusCode()).isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("/api/v1/agents", KEY_A).statusCode() == 200);
  }

  /** A PUT whose body never finishes: it holds one of the project's request slots. */
  static final class SlowPut implements AutoCloseable {
    private final Socket socket;

    SlowPut(int port, String key) throws IOException {
      socket = new Socket("127.0.0.1", port);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /api/v1/prices/acme/slow HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
