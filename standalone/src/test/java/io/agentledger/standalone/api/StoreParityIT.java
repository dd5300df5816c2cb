package io.agentledger.standalone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.clickhouse.embedded.LocalClickHouseAvailable;
import io.agentledger.core.testing.SdkSpans;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import io.agentledger.standalone.api.ApiClient.Reply;
import io.agentledger.standalone.api.OtlpChains.Shape;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same OTLP spans sent to a standalone on DuckDB and to one on ClickHouse (a real server:
 * clickhouse-local from libchdb, see {@link LocalClickHouse}) give the same answers from every
 * query endpoint, field by field, and the hand-computed costs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LocalClickHouseAvailable.class)
class StoreParityIT {

  static final String KEY = "parity-key-0123456789abcdef";
  static final String SUPPORT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final int WORKER_CHAINS = 3;
  static final int SMALL_CHAINS = 6;
  static final int CHAINS = 1 + 1 + WORKER_CHAINS + SMALL_CHAINS;

  /** The README's support chain: $0.000153 (triage, gpt-4o-mini) + $0.00645 (refunds, claude). */
  static final String SUPPORT_USD = "0.006603";

  /** The SDK's agent chain: gpt-4o, 476 input + 1,024 cached + 320 output tokens. */
  static final String SDK_AGENT_USD = "0.00567";

  static final String WORKER_USD = "0.00189";

  /** 2025-11-01, before the SDK agent chain (2025-11-23); the support chain is 2026-11-24. */
  final String window =
      "from=2025-11-01T00:00:00Z&to=" + Instant.now().plus(1, ChronoUnit.HOURS).toString();

  final long now = System.currentTimeMillis();
  final HttpClient http = HttpClient.newHttpClient();
  Standalone onDuckDb;
  Standalone onClickHouse;
  ApiClient duck;
  ApiClient click;
  String sdkAgentTrace;
  List<String> workerTraces;

  @BeforeAll
  void startBoth(@TempDir Path duckDir, @TempDir Path clickDir) throws Exception {
    LocalClickHouse clickHouse = LocalClickHouse.shared();
    String database = "agentledger_parity_" + ProcessHandle.current().pid();
    clickHouse.query("CREATE DATABASE IF NOT EXISTS " + database);

    onDuckDb = Standalone.start(StandaloneConfig.from(env(duckDir)));
    Map<String, String> env = env(clickDir);
    env.put("AGENTLEDGER_STORE", "clickhouse");
    env.put("AGENTLEDGER_CLICKHOUSE_URL", clickHouse.jdbcUrl(database));
    env.put("AGENTLEDGER_CLICKHOUSE_USER", clickHouse.user());
    env.put("AGENTLEDGER_CLICKHOUSE_PASSWORD", clickHouse.password());
    onClickHouse = Standalone.start(StandaloneConfig.from(env));
    duck = new ApiClient(onDuckDb.apiBase());
    click = new ApiClient(onClickHouse.apiBase());

    List<SpanData> sdkAgent = SdkSpans.agentChain();
    sdkAgentTrace = sdkAgent.get(0).getTraceId();
    byte[] sdkAgentBody = SdkSpans.protobuf(sdkAgent);
    List<SpanData> worker = workerChains();
    byte[] workerBody = SdkSpans.protobuf(worker);
    byte[] supportBody =
        Files.readAllBytes(Path.of("..", "docs", "examples", "support-chain.json"));
    Shape[] small = new Shape[SMALL_CHAINS];
    for (int i = 0; i < SMALL_CHAINS; i++) {
      small[i] =
          new Shape(
              7_000 + i,
              now - 120_000 + i * 1_000,
              i % 2 == 0 ? "svc-a" : "svc-b",
              "1." + (i % 2),
              i % 3 == 0 ? "planner" : "reviewer",
              "2.0",
              i < 3 ? "s-parity" : "s-other",
              "user-" + (i % 2));
    }
    for (Standalone app : List.of(onDuckDb, onClickHouse)) {
      post(app.tracesEndpoint(), "application/json", supportBody);
      post(app.tracesEndpoint(), "application/x-protobuf", sdkAgentBody);
      post(app.tracesEndpoint(), "application/x-protobuf", workerBody);
      new OtlpChains(app.tracesEndpoint()).send(KEY, small);
    }
    // Listings show chains once settled (quiet for AGENTLEDGER_SETTLE_IDLE).
    for (ApiClient api : List.of(duck, click)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> listAll(api, "/api/v1/chains?limit=100&" + window).size() == CHAINS);
    }
  }

  @AfterAll
  void stopBoth() {
    if (onClickHouse != null) {
      onClickHouse.close();
    }
    if (onDuckDb != null) {
      onDuckDb.close();
    }
  }

  @Test
  void chainListings_areTheSame_inBothOrders_pageByPage() throws Exception {
    for (String order : List.of("start", "cost")) {
      String first = "/api/v1/chains?limit=4&order=" + order + "&" + window;
      List<JsonNode> duckPages = pages(duck, first);
      List<JsonNode> clickPages = pages(click, first);
      assertThat(duckPages).hasSize(3); // 11 chains, 4 a page
      assertSame(order, duckPages, clickPages);
    }
    List<JsonNode> items = listAll(duck, "/api/v1/chains?limit=100&order=cost&" + window);
    assertThat(items.get(0).path("traceId").asText()).isEqualTo(SUPPORT_TRACE);
    assertThat(items.get(0).path("costUsd").decimalValue()).isEqualByComparingTo(SUPPORT_USD);
  }

  @Test
  void everyChain_isTheSame_withItsTreeAndHandComputedCost() throws Exception {
    List<String> traceIds = new ArrayList<>();
    listAll(duck, "/api/v1/chains?limit=100&" + window)
        .forEach(c -> traceIds.add(c.path("traceId").asText()));
    assertThat(traceIds).hasSize(CHAINS).contains(SUPPORT_TRACE, sdkAgentTrace);
    for (String traceId : traceIds) {
      assertSame(
          "/chains/" + traceId,
          ok(duck, "/api/v1/chains/" + traceId),
          ok(click, "/api/v1/chains/" + traceId));
    }

    JsonNode support = ok(click, "/api/v1/chains/" + SUPPORT_TRACE);
    assertThat(support.path("costUsd").decimalValue()).isEqualByComparingTo(SUPPORT_USD);
    assertThat(support.path("costComplete").asBoolean()).isTrue();
    assertThat(support.path("spanCount").asInt()).isEqualTo(5);
    assertThat(support.path("byAgent").get(0).path("exclusiveCostUsd").decimalValue())
        .isEqualByComparingTo("0.000153");
    assertThat(support.path("byAgent").get(1).path("exclusiveCostUsd").decimalValue())
        .isEqualByComparingTo("0.00645");

    JsonNode sdk = ok(click, "/api/v1/chains/" + sdkAgentTrace);
    assertThat(sdk.path("costUsd").decimalValue()).isEqualByComparingTo(SDK_AGENT_USD);
    assertThat(sdk.path("errorCount").asInt()).isEqualTo(1);

    for (String worker : workerTraces) {
      JsonNode chain = ok(click, "/api/v1/chains/" + worker);
      assertThat(chain.path("costUsd").decimalValue()).isEqualByComparingTo(WORKER_USD);
      assertThat(chain.path("spanCount").asInt()).isEqualTo(20);
    }
    JsonNode small = ok(click, "/api/v1/chains/" + OtlpChains.traceId(7_000));
    assertThat(small.path("costUsd").decimalValue()).isEqualByComparingTo(OtlpChains.CALL_USD);
  }

  @Test
  void costs_areTheSame_forEveryGrouping() throws Exception {
    for (String groupBy :
        List.of(
            "agent,model",
            "provider,model",
            "service,serviceVersion",
            "sessionId,userId",
            "tool")) {
      String path = "/api/v1/costs?groupBy=" + groupBy + "&" + window;
      assertSame(path, ok(duck, path), ok(click, path));
    }
    String series = "/api/v1/costs?groupBy=agent&interval=1d&" + window;
    assertSame(series, ok(duck, series), ok(click, series));

    // Everything: 0.006603 + 0.00567 + 3 × 0.00189 + 6 × 0.00021 = 0.019203.
    JsonNode total = ok(click, "/api/v1/costs?" + window).path("groups").get(0);
    assertThat(total.path("costUsd").decimalValue()).isEqualByComparingTo("0.019203");
    assertThat(total.path("llmCalls").asLong()).isEqualTo(2 + 1 + 3 * 9 + SMALL_CHAINS);
    assertThat(total.path("chains").asLong()).isEqualTo(CHAINS);

    JsonNode byAgentModel = ok(click, "/api/v1/costs?groupBy=agent,model&" + window);
    assertThat(group(byAgentModel, "worker", "gpt-4o-mini").path("costUsd").decimalValue())
        .isEqualByComparingTo("0.00567"); // 3 × 9 × $0.00021
    assertThat(group(byAgentModel, "refunds", "claude-sonnet-4-5").path("costUsd").decimalValue())
        .isEqualByComparingTo("0.00645");
  }

  @Test
  void sessions_areTheSame() throws Exception {
    for (String session : List.of("sess-42", "s-parity", "s-other", "conv-7")) {
      String path = "/api/v1/sessions/" + session;
      assertSame(path, ok(duck, path), ok(click, path));
    }
    JsonNode parity = ok(click, "/api/v1/sessions/s-parity");
    assertThat(parity.path("chains").asInt()).isEqualTo(3);
    assertThat(parity.path("costUsd").decimalValue()).isEqualByComparingTo("0.00063");
    assertThat(ok(click, "/api/v1/sessions/sess-42").path("costUsd").decimalValue())
        .isEqualByComparingTo(SUPPORT_USD);
  }

  @Test
  void pricesAreTheSame() throws Exception {
    assertSame("/prices", ok(duck, "/api/v1/prices"), ok(click, "/api/v1/prices"));
  }

  // --- helpers ------------------------------------------------------------------------------

  private static Map<String, String> env(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dir.toString());
    env.put("AGENTLEDGER_API_KEYS", "parity:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    return env;
  }

  /** The SDK's worker chains, recorded once so both standalones get the same trace ids. */
  private List<SpanData> workerChains() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder().put("service.name", "worker-svc").build())
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      workerTraces = SdkSpans.workerChains(provider.get("parity-it"), WORKER_CHAINS);
      return exporter.getFinishedSpanItems();
    }
  }

  private void post(URI traces, String contentType, byte[] body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(traces)
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode ok(ApiClient api, String path) throws Exception {
    Reply r = api.get(path, KEY);
    assertThat(r.status()).as("%s: %s", path, r.raw()).isEqualTo(200);
    return r.body();
  }

  private static List<JsonNode> pages(ApiClient api, String first) throws Exception {
    List<JsonNode> pages = new ArrayList<>();
    JsonNode page = ok(api, first);
    pages.add(page);
    while (page.hasNonNull("nextCursor")) {
      page = ok(api, first + "&cursor=" + ApiClient.q(page.path("nextCursor").asText()));
      pages.add(page);
    }
    return pages;
  }

  private static List<JsonNode> listAll(ApiClient api, String first) throws Exception {
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode page : pages(api, first)) {
      page.path("items").forEach(items::add);
    }
    return items;
  }

  private static JsonNode group(JsonNode costs, String agent, String model) {
    for (JsonNode g : costs.path("groups")) {
      if (g.path("key").path("agent").asText().equals(agent)
          && g.path("key").path("model").asText().equals(model)) {
        return g;
      }
    }
    throw new AssertionError("no group " + agent + "/" + model + " in " + costs);
  }

  /** Fails with every path where the two answers differ; numbers compare by value. */
  private static void assertSame(String what, Object duckDb, Object clickHouse) {
    List<String> differences = new ArrayList<>();
    if (duckDb instanceof List<?> a && clickHouse instanceof List<?> b) {
      assertThat(b).as(what + ": pages").hasSameSizeAs(a);
      for (int i = 0; i < a.size(); i++) {
        diff("page " + i, (JsonNode) a.get(i), (JsonNode) b.get(i), differences);
      }
    } else {
      diff("", (JsonNode) duckDb, (JsonNode) clickHouse, differences);
    }
    assertThat(differences).as("%s: DuckDB vs ClickHouse", what).isEmpty();
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a.isNumber() && b.isNumber()) {
      if (a.decimalValue().compareTo(b.decimalValue()) != 0) {
        out.add(path + ": " + a + " vs " + b);
      }
    } else if (a.isObject() && b.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!a.has(name) || !b.has(name)) {
          out.add(path + "." + name + ": " + a.get(name) + " vs " + b.get(name));
        } else {
          diff(path + "." + name, a.get(name), b.get(name), out);
        }
      }
    } else if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        out.add(path + ": " + a.size() + " elements vs " + b.size());
        return;
      }
      Iterator<JsonNode> ia = a.elements();
      Iterator<JsonNode> ib = b.elements();
      for (int i = 0; ia.hasNext(); i++) {
        diff(path + "[" + i + "]", ia.next(), ib.next(), out);
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + a + " vs " + b);
    }
  }
}
