package io.agentledger.standalone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.QueryApi;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.instrumentation.AgentLedger;
import io.agentledger.instrumentation.AgentRun;
import io.agentledger.instrumentation.Approval;
import io.agentledger.instrumentation.ModelCall;
import io.agentledger.instrumentation.ToolCall;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import io.agentledger.standalone.api.ApiClient.Reply;
import io.agentledger.standalone.api.OtlpChains.Shape;
import io.agentledger.store.Anomaly;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of API.md over real HTTP against a running standalone on DuckDB: fields, units,
 * pagination while spans arrive, errors, and isolation between two projects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIT {

  static final String KEY_A = "alpha-key-0123456789abcdef";
  static final String KEY_B = "beta-key-0123456789abcdef0";
  static final int BULK = 12;

  /** The crew's cost: $0.000195 (planner) + $0.0096 (researcher) + $0.01 (writer). */
  static final String CREW_USD = "0.019795";

  Standalone app;
  ApiClient api;
  OtlpChains otlp;
  String crewTrace;
  final long now = System.currentTimeMillis();
  final AtomicLong nextTraceNo = new AtomicLong(1_000);

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dir.toString());
    env.put("AGENTLEDGER_API_KEYS", "alpha:" + KEY_A + ",beta:" + KEY_B);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    app = Standalone.start(StandaloneConfig.from(env));
    api = new ApiClient(app.apiBase());
    otlp = new OtlpChains(app.tracesEndpoint());

    crewTrace = sendCrewWithTheOtelSdk();
    for (int i = 0; i < BULK; i++) {
      otlp.send(
          KEY_A,
          new Shape(
              i + 1,
              now - 60_000 + i * 1_000,
              "svc-a",
              "1.0",
              "triage",
              "1.0",
              "s-bulk-" + (i % 3),
              "user-" + (i % 2)));
    }
    for (int i = 0; i < 3; i++) {
      otlp.send(
          KEY_B,
          new Shape(500 + i, now - 30_000 + i, "beta-svc", "9", "other", "9", "s-beta", "u-b"));
    }
    // Listings show chains once settled (quiet for AGENTLEDGER_SETTLE_IDLE).
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> listAll("/api/v1/chains?limit=100", KEY_A).size() == BULK + 1);
  }

  @AfterAll
  void stop() {
    app.close();
  }

  /** The crew of the instrumentation library's example, through the OTel SDK's OTLP exporter. */
  private String sendCrewWithTheOtelSdk() {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(app.tracesEndpoint().toString())
            .addHeader("Authorization", "Bearer " + KEY_A)
            .build();
    try (AgentLedger ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .setResource(
                        io.opentelemetry.sdk.resources.Resource.getDefault().toBuilder()
                            .put("service.name", "crew-svc")
                            .build())
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                    .build())
            .build()) {
      try (AgentRun planner =
          ledger.agent("planner").version("2.1").conversation("ticket-4711").user("u-9").start()) {
        try (ModelCall call = planner.modelCall("openai", "gpt-4o-mini")) {
          call.usage(1_000, 100).cacheRead(200).finishReasons("stop");
        }
        planner.decision("route", List.of("research", "write"), "research", "needs sources", 0.8);
        try (AgentRun researcher = planner.handoff("researcher")) {
          try (ToolCall tool = researcher.tool("web_search")) {
            tool.callId("call_1");
          }
          try (ModelCall call = researcher.modelCall("anthropic", "claude-sonnet-4-5")) {
            call.usage(3_000, 400).cacheRead(2_000);
          }
          try (AgentRun writer = researcher.handoff("writer")) {
            try (ModelCall call = writer.modelCall("openai", "gpt-4o")) {
              call.usage(2_000, 500);
            }
            try (Approval approval = writer.requestApproval("publish")) {
              approval.approve("alice");
            }
          }
        }
        return planner.traceId();
      }
    }
  }

  // --- the chain --------------------------------------------------------------------------------

  @Test
  void chainFromTheOtelSdk_readsBackWithHandComputedCostByAgentByModelAndTree() throws Exception {
    Reply r = api.get("/api/v1/chains/" + crewTrace, KEY_A);
    assertThat(r.status()).isEqualTo(200);
    JsonNode c = r.body();
    assertThat(c.path("costUsd").decimalValue()).as(r.raw()).isEqualByComparingTo(CREW_USD);
    assertThat(c.path("costComplete").asBoolean()).isTrue();
    assertThat(c.path("unpricedCalls").asInt()).isZero();
    assertThat(c.path("spanCount").asInt())
        .isEqualTo(8); // 3 agents, 3 model calls, a tool, an approval
    assertThat(c.path("llmCalls").asInt()).isEqualTo(3);
    assertThat(c.path("toolCalls").asInt()).isEqualTo(1);
    assertThat(c.path("agent").asText()).isEqualTo("planner");
    assertThat(c.path("service").asText()).isEqualTo("crew-svc");
    assertThat(c.path("sessionId").asText()).isEqualTo("ticket-4711");
    assertThat(c.path("userId").asText()).isEqualTo("u-9");
    // Token totals: 1,000 + 3,000 + 2,000 in; 100 + 400 + 500 out; 200 + 2,000 cached.
    assertThat(c.path("usage").path("inputTokens").asLong()).isEqualTo(6_000);
    assertThat(c.path("usage").path("outputTokens").asLong()).isEqualTo(1_000);
    assertThat(c.path("usage").path("cacheReadTokens").asLong()).isEqualTo(2_200);
    assertThat(Instant.parse(c.path("startTime").asText()))
        .isBefore(Instant.parse(c.path("endTime").asText()));
    assertThat(c.path("durationMs").isIntegralNumber()).isTrue();

    Map<String, JsonNode> agents = byKey(c.path("byAgent"), "agent");
    assertThat(agents.get("planner").path("exclusiveCostUsd").decimalValue())
        .isEqualByComparingTo("0.000195");
    assertThat(agents.get("planner").path("inclusiveCostUsd").decimalValue())
        .isEqualByComparingTo(CREW_USD);
    assertThat(agents.get("researcher").path("exclusiveCostUsd").decimalValue())
        .isEqualByComparingTo("0.0096");
    assertThat(agents.get("researcher").path("inclusiveCostUsd").decimalValue())
        .isEqualByComparingTo("0.0196");
    assertThat(agents.get("writer").path("exclusiveCostUsd").decimalValue())
        .isEqualByComparingTo("0.01");

    Map<String, JsonNode> models = byKey(c.path("byModel"), "model");
    assertThat(models.get("gpt-4o-mini").path("costUsd").decimalValue())
        .isEqualByComparingTo("0.000195");
    assertThat(models.get("claude-sonnet-4-5").path("costUsd").decimalValue())
        .isEqualByComparingTo("0.0096");
    assertThat(models.get("claude-sonnet-4-5").path("provider").asText()).isEqualTo("anthropic");
    assertThat(models.get("gpt-4o").path("costUsd").decimalValue()).isEqualByComparingTo("0.01");

    JsonNode root = c.path("tree").get(0);
    assertThat(root.path("name").asText()).isEqualTo("invoke_agent planner");
    assertThat(root.path("costSource").asText()).isEqualTo("none");
    assertThat(root.path("totalCostUsd").decimalValue()).isEqualByComparingTo(CREW_USD);
    List<JsonNode> nodes = flatten(c.path("tree"));
    assertThat(nodes)
        .as(nodes.stream().map(n -> n.path("name").asText()).toList().toString())
        .extracting(n -> n.path("name").asText())
        .hasSize(8);
    assertThat(nodes)
        .filteredOn(n -> n.path("type").asText().equals("llm"))
        .hasSize(3)
        .allSatisfy(n -> assertThat(n.path("costSource").asText()).isEqualTo("computed"));
    assertThat(nodes)
        .filteredOn(n -> n.path("name").asText().equals("chat claude-sonnet-4-5"))
        .singleElement()
        .satisfies(
            n -> assertThat(n.path("pricedAs").asText()).isEqualTo("anthropic/claude-sonnet-4-5"));
  }

  @Test
  void chainSummary_hasExactlyTheFieldsOfApiMd() throws Exception {
    JsonNode item = api.get("/api/v1/chains?agent=planner", KEY_A).body().path("items").get(0);
    Set<String> fields = new HashSet<>();
    item.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "traceId",
            "project",
            "rootSpanId",
            "name",
            "service",
            "serviceVersion",
            "agent",
            "sessionId",
            "userId",
            "startTime",
            "endTime",
            "durationMs",
            "spanCount",
            "llmCalls",
            "toolCalls",
            "errorCount",
            "usage",
            "costUsd",
            "costComplete",
            "unpricedCalls",
            "status",
            // extensions (issue 15): the tool-priced part of costUsd, and the workflow run
            "toolCostUsd",
            "workflowId");
    Set<String> usage = new HashSet<>();
    item.path("usage").fieldNames().forEachRemaining(usage::add);
    assertThat(usage)
        .containsExactlyInAnyOrder(
            "inputTokens",
            "outputTokens",
            "cacheReadTokens",
            "cacheWriteTokens",
            "reasoningTokens");
    assertThat(item.path("project").asText()).isEqualTo("alpha");
  }

  // --- listings -----------------------------------------------------------------------------

  @Test
  void chainListing_filtersAndOrders() throws Exception {
    assertThat(listAll("/api/v1/chains?agent=triage", KEY_A)).hasSize(BULK);
    assertThat(listAll("/api/v1/chains?service=svc-a", KEY_A)).hasSize(BULK);
    assertThat(listAll("/api/v1/chains?sessionId=s-bulk-0", KEY_A)).hasSize(BULK / 3);
    assertThat(listAll("/api/v1/chains?userId=user-1", KEY_A)).hasSize(BULK / 2);
    assertThat(listAll("/api/v1/chains?minCostUsd=0.01", KEY_A)).containsExactly(crewTrace);
    assertThat(listAll("/api/v1/chains?order=cost", KEY_A).get(0)).isEqualTo(crewTrace);
    List<String> newestFirst = listAll("/api/v1/chains?agent=triage", KEY_A);
    assertThat(newestFirst.get(0)).isEqualTo(OtlpChains.traceId(BULK));
    assertThat(newestFirst.get(BULK - 1)).isEqualTo(OtlpChains.traceId(1));
    // An hour-long window that ends before the bulk chains started finds none of them.
    long before = now - 120_000;
    assertThat(
            listAll(
                "/api/v1/chains?agent=triage&from=" + (before - 3_600_000) + "&to=" + before,
                KEY_A))
        .isEmpty();
  }

  @Test
  void pagination_neitherSkipsNorRepeats_whileNewChainsArrive() throws Exception {
    for (String order : List.of("start", "cost")) {
      List<String> before = listAll("/api/v1/chains?limit=1000&order=" + order, KEY_A);
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer =
          new Thread(
              () -> {
                while (writing.get()) {
                  long n = nextTraceNo.incrementAndGet();
                  try {
                    otlp.send(
                        KEY_A,
                        new Shape(
                            n,
                            System.currentTimeMillis(),
                            "svc-new",
                            "1",
                            "late",
                            "1",
                            "s-late",
                            "u-late"));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      writer.start();
      List<String> paged = new ArrayList<>();
      int pages = 0;
      String cursor = null;
      do {
        Reply r =
            api.get(
                "/api/v1/chains?limit=4&order="
                    + order
                    + (cursor == null ? "" : "&cursor=" + ApiClient.q(cursor)),
                KEY_A);
        assertThat(r.status()).isEqualTo(200);
        r.body().path("items").forEach(i -> paged.add(i.path("traceId").asText()));
        cursor = r.body().has("nextCursor") ? r.body().path("nextCursor").asText() : null;
        pages++;
      } while (cursor != null);
      writing.set(false);
      writer.join();
      assertThat(pages).isGreaterThanOrEqualTo(3);
      assertThat(new LinkedHashSet<>(paged)).as("no chain twice").hasSize(paged.size());
      assertThat(paged).as("every chain that existed before paging").containsAll(before);
    }
  }

  @Test
  void session_totalsItsChains() throws Exception {
    JsonNode s = api.get("/api/v1/sessions/ticket-4711", KEY_A).body();
    assertThat(s.path("costUsd").decimalValue()).isEqualByComparingTo(CREW_USD);
    assertThat(s.path("costComplete").asBoolean()).isTrue();
    assertThat(s.path("chains").asInt()).isEqualTo(1);
    assertThat(s.path("traceIds").get(0).asText()).isEqualTo(crewTrace);
    assertThat(s.path("byAgent").size()).isEqualTo(3);
    assertThat(s.path("byModel").size()).isEqualTo(3);
    JsonNode bulk = api.get("/api/v1/sessions/s-bulk-0", KEY_A).body();
    assertThat(bulk.path("chains").asInt()).isEqualTo(BULK / 3);
    assertThat(bulk.path("costUsd").decimalValue())
        .isEqualByComparingTo(
            new BigDecimal(OtlpChains.CALL_USD).multiply(BigDecimal.valueOf(BULK / 3)));
    assertThat(api.get("/api/v1/sessions/no-such-session", KEY_A).status()).isEqualTo(404);
  }

  @Test
  void costs_groupByEveryDimension_withAndWithoutSeries() throws Exception {
    String range =
        "&from="
            + Instant.ofEpochMilli(now - 3_600_000)
            + "&to="
            + Instant.ofEpochMilli(now + 3_600_000);
    for (String dim :
        List.of(
            "provider",
            "model",
            "agent",
            "agentVersion",
            "service",
            "serviceVersion",
            "tool",
            "sessionId",
            "userId")) {
      Reply r = api.get("/api/v1/costs?groupBy=" + dim + range, KEY_A);
      assertThat(r.status()).as(dim).isEqualTo(200);
      assertThat(r.body().path("groups")).as(dim).isNotEmpty();
      r.body().path("groups").forEach(g -> assertThat(g.path("key").has(dim)).as(dim).isTrue());
      assertThat(r.body().has("series")).isFalse();
    }
    JsonNode byAgent = api.get("/api/v1/costs?groupBy=agent" + range, KEY_A).body();
    Map<String, JsonNode> agents = new HashMap<>();
    byAgent.path("groups").forEach(g -> agents.put(g.path("key").path("agent").asText(), g));
    assertThat(agents.get("triage").path("costUsd").decimalValue())
        .isEqualByComparingTo(
            new BigDecimal(OtlpChains.CALL_USD).multiply(BigDecimal.valueOf(BULK)));
    assertThat(agents.get("triage").path("llmCalls").asLong()).isEqualTo(BULK);
    assertThat(agents.get("triage").path("chains").asLong()).isEqualTo(BULK);
    assertThat(agents.get("researcher").path("costUsd").decimalValue())
        .isEqualByComparingTo("0.0096");

    // Epoch millis work as well as ISO-8601; a series per hour sums to the same total.
    JsonNode series =
        api.get(
                "/api/v1/costs?groupBy=model&interval=1h&from="
                    + (now - 3_600_000)
                    + "&to="
                    + (now + 3_600_000),
                KEY_A)
            .body();
    BigDecimal total = series.path("costUsd").decimalValue();
    BigDecimal buckets = BigDecimal.ZERO;
    for (JsonNode b : series.path("series")) {
      buckets = buckets.add(b.path("costUsd").decimalValue());
      assertThat(Instant.parse(b.path("start").asText()).getEpochSecond() % 3600).isZero();
    }
    assertThat(buckets).isEqualByComparingTo(total);
    series.path("groups").forEach(g -> assertThat(g.path("series").isArray()).isTrue());
  }

  @Test
  void analyzerEndpoints_answerWellFormed() throws Exception {
    Reply decisions = api.get("/api/v1/chains/" + crewTrace + "/decisions", KEY_A);
    assertThat(decisions.status()).isEqualTo(200);
    assertThat(decisions.body().path("nodes").isArray()).isTrue();
    assertThat(decisions.body().path("edges").isArray()).isTrue();
    Reply agents = api.get("/api/v1/agents", KEY_A);
    assertThat(agents.status()).isEqualTo(200);
    // Runs are derived right after a chain's roll-up is saved: the listing may show it first.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/agents/planner/paths?version=2.1", KEY_A).status() == 200);
    Reply paths = api.get("/api/v1/agents/planner/paths?version=2.1", KEY_A);
    assertThat(paths.body().path("agent").asText()).isEqualTo("planner");
    assertThat(paths.body().path("runs").asLong()).isEqualTo(1);
    JsonNode step = paths.body().path("root");
    assertThat(step.path("step").asText()).isEqualTo("agent:planner");
    for (String expected :
        List.of("llm:gpt-4o-mini", "decision:route=research", "handoff:researcher")) {
      assertThat(step.path("children")).as(paths.raw()).hasSize(1);
      step = step.path("children").get(0);
      assertThat(step.path("step").asText()).as(paths.raw()).isEqualTo(expected);
      assertThat(step.path("share").asDouble()).isEqualTo(1.0);
    }
    assertThat(api.get("/api/v1/agents/nobody/paths", KEY_A).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/agents/planner/paths", KEY_B).status()).isEqualTo(404);
    for (String path :
        List.of(
            "/api/v1/anomalies",
            "/api/v1/anomalies?status=firing&kind=tool_loop&agent=planner",
            "/api/v1/regressions")) {
      Reply r = api.get(path, KEY_A);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.body().path("items").isArray()).as(path).isTrue();
    }
  }

  @Test
  void anomalies_haveTheFieldsOfApiMd_filterByStatusKindAgent_andPage() throws Exception {
    Instant seen = Instant.ofEpochMilli(now).minusSeconds(600);
    List<Anomaly> saved = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      saved.add(
          new Anomaly(
              "alpha",
              "anomaly-" + i,
              i == 2 ? "run_outlier" : "tool_loop",
              Map.of("agent", i == 1 ? "writer" : "triage", "tool", "search"),
              "identical_tool_calls",
              4,
              new Anomaly.Band(0, 2),
              4,
              "warning",
              i == 0 ? "resolved" : "firing",
              seen,
              seen.plusSeconds(i),
              List.of("trace-" + i),
              Map.of("wastedCostUsd", "0.036")));
    }
    app.store().saveAnomalies(saved);

    Reply all = api.get("/api/v1/anomalies", KEY_A);
    assertThat(all.status()).isEqualTo(200);
    JsonNode first = all.body().path("items").get(0);
    assertThat(iterable(first.fieldNames()))
        .containsExactlyInAnyOrder(
            "id",
            "kind",
            "subject",
            "metric",
            "observed",
            "expected",
            "score",
            "severity",
            "status",
            "firstSeen",
            "lastSeen",
            "exampleTraceIds",
            "detail");
    assertThat(first.path("id").asText()).isEqualTo("anomaly-2"); // last seen newest first
    assertThat(first.path("expected").path("high").asDouble()).isEqualTo(2.0);
    assertThat(first.path("firstSeen").asText()).isEqualTo(seen.toString());
    assertThat(api.get("/api/v1/anomalies", KEY_B).body().path("items")).isEmpty();

    assertThat(ids("/api/v1/anomalies?status=firing&kind=tool_loop")).containsExactly("anomaly-1");
    assertThat(ids("/api/v1/anomalies?agent=triage")).containsExactly("anomaly-2", "anomaly-0");

    Reply page = api.get("/api/v1/anomalies?limit=2", KEY_A);
    assertThat(ids(page)).containsExactly("anomaly-2", "anomaly-1");
    String cursor = page.body().path("nextCursor").asText();
    Reply rest = api.get("/api/v1/anomalies?limit=2&cursor=" + cursor, KEY_A);
    assertThat(ids(rest)).containsExactly("anomaly-0");
    assertThat(rest.body().has("nextCursor")).isFalse();

    assertThat(api.get("/api/v1/anomalies?status=open", KEY_A).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/anomalies?cursor=nonsense", KEY_A).status()).isEqualTo(400);
  }

  private List<String> ids(String path) throws Exception {
    return ids(api.get(path, KEY_A));
  }

  private static List<String> ids(Reply r) {
    List<String> out = new ArrayList<>();
    r.body().path("items").forEach(n -> out.add(n.path("id").asText()));
    return out;
  }

  private static <T> List<T> iterable(Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  // --- prices -------------------------------------------------------------------------------

  @Test
  void priceOverride_appliesToNewSpansOfThatProjectOnly() throws Exception {
    JsonNode catalog = api.get("/api/v1/prices", KEY_B).body();
    assertThat(catalog.path("currency").asText()).isEqualTo("USD");
    assertThat(
            StreamSupport.stream(catalog.path("models").spliterator(), false)
                .anyMatch(
                    m ->
                        m.path("provider").asText().equals("openai")
                            && m.path("model").asText().equals("gpt-4o-mini")
                            && m.path("source").asText().equals("catalog")))
        .isTrue();

    Reply put =
        api.put("/api/v1/prices/openai/gpt-4o-mini", KEY_B, "{\"input\": 1.0, \"output\": 2.0}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().path("source").asText()).isEqualTo("override");
    assertThat(
            StreamSupport.stream(
                    api.get("/api/v1/prices", KEY_B).body().path("models").spliterator(), false)
                .anyMatch(
                    m ->
                        m.path("model").asText().equals("gpt-4o-mini")
                            && m.path("source").asText().equals("override")))
        .isTrue();

    // The collector picks overrides up within its refresh period; new spans then cost
    // 1,000 × $1/M + 100 × $2/M = $0.0012 for beta, while alpha keeps the catalog's $0.00021.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              long n = nextTraceNo.incrementAndGet();
              otlp.send(
                  KEY_B,
                  new Shape(
                      n, System.currentTimeMillis(), "beta-svc", "9", "other", "9", "s-p", "u"));
              return await()
                      .atMost(Duration.ofSeconds(30))
                      .until(
                          () -> api.get("/api/v1/chains/" + OtlpChains.traceId(n), KEY_B),
                          r -> r.status() == 200 && r.body().path("spanCount").asInt() == 3)
                      .body()
                      .path("costUsd")
                      .decimalValue()
                      .compareTo(new BigDecimal("0.0012"))
                  == 0;
            });
    long alpha = nextTraceNo.incrementAndGet();
    // Not "triage": the cost test counts the bulk's triage chains, and may run after this one.
    otlp.send(
        KEY_A,
        new Shape(alpha, System.currentTimeMillis(), "svc-a", "1", "probe", "1", "s-x", "u"));
    Reply a =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> api.get("/api/v1/chains/" + OtlpChains.traceId(alpha), KEY_A),
                r -> r.status() == 200 && r.body().path("spanCount").asInt() == 3);
    assertThat(a.body().path("costUsd").decimalValue()).isEqualByComparingTo(OtlpChains.CALL_USD);
  }

  // --- errors -------------------------------------------------------------------------------

  @Test
  void everyErrorIsAProblemDocument() throws Exception {
    record Bad(String path, int status) {}
    String traceOfA = "/api/v1/chains/" + crewTrace;
    List<Bad> cases =
        List.of(
            new Bad("/api/v1/chains?from=yesterday", 400),
            new Bad("/api/v1/chains?to=2026-13-45T00:00:00Z", 400),
            new Bad("/api/v1/chains?from=2026-11-24T10:00:00Z&to=2026-11-23T10:00:00Z", 400),
            new Bad("/api/v1/costs?groupBy=colour", 400),
            new Bad("/api/v1/costs?groupBy=model&interval=fortnightly", 400),
            new Bad("/api/v1/chains?cursor=not-a-cursor", 400),
            new Bad("/api/v1/chains?limit=0", 400),
            new Bad("/api/v1/chains?limit=-1", 400),
            new Bad("/api/v1/chains?limit=100000", 400),
            new Bad("/api/v1/chains?limit=ten", 400),
            new Bad("/api/v1/chains?minCostUsd=lots", 400),
            new Bad("/api/v1/chains?order=random", 400),
            new Bad("/api/v1/chains/not-a-trace-id", 400),
            new Bad("/api/v1/chains/" + "f".repeat(32), 404),
            new Bad("/api/v1/no-such-route", 404));
    for (Bad b : cases) {
      assertProblem(api.get(b.path(), KEY_A), b.status(), b.path());
    }
    // A cursor of one ordering is refused by the other.
    String startCursor =
        api.get("/api/v1/chains?limit=1", KEY_A).body().path("nextCursor").asText();
    assertProblem(
        api.get("/api/v1/chains?order=cost&limit=1&cursor=" + ApiClient.q(startCursor), KEY_A),
        400,
        "foreign cursor");
    assertProblem(api.get(traceOfA, null), 401, "no key");
    assertProblem(api.get(traceOfA, "wrong-key-0123456789"), 401, "unknown key");
    assertProblem(
        api.put("/api/v1/prices/openai/gpt-4o-mini", KEY_A, "{not json"), 400, "bad body");
    assertProblem(api.put("/api/v1/prices/openai/gpt-4o-mini", KEY_A, "[1,2]"), 400, "array body");
    assertProblem(
        api.put("/api/v1/prices/openai/gpt-4o-mini", KEY_A, "{\"input\": -1, \"output\": 1}"),
        400,
        "negative");
    assertProblem(
        api.put("/api/v1/prices/openai/gpt-4o-mini", KEY_A, "{\"output\": 1}"), 400, "no input");
    assertThat(app.consumerLag()).isNotNegative(); // and the service is still there
    assertThat(api.get("/health", null).status()).isEqualTo(200);
  }

  private static void assertProblem(Reply r, int status, String what) {
    assertThat(r.status()).as("%s: %s", what, r.raw()).isEqualTo(status);
    assertThat(r.contentType()).as(what).startsWith("application/problem+json");
    assertThat(r.body().path("status").asInt()).as(what).isEqualTo(status);
    assertThat(r.body().path("title").asText()).as(what).isNotBlank();
    assertThat(r.body().path("detail").asText()).as(what).isNotBlank();
    assertThat(r.body().has("type")).as(what).isTrue();
  }

  // --- isolation ----------------------------------------------------------------------------

  @Test
  void projectsAreIsolated_anotherProjectsTraceIsNotFound() throws Exception {
    Reply r = api.get("/api/v1/chains/" + crewTrace, KEY_B);
    assertProblem(r, 404, "alpha's trace with beta's key");
    assertThat(api.get("/api/v1/chains/" + crewTrace + "/decisions", KEY_B).status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/sessions/ticket-4711", KEY_B).status()).isEqualTo(404);
    List<String> beta = listAll("/api/v1/chains", KEY_B);
    assertThat(beta).doesNotContain(crewTrace).contains(OtlpChains.traceId(500));
    assertThat(listAll("/api/v1/chains", KEY_A)).doesNotContain(OtlpChains.traceId(500));
    // Grouped by service: fresh chains have no attributed agent until they settle.
    JsonNode costs = api.get("/api/v1/costs?groupBy=service", KEY_B).body();
    assertThat(costs.path("groups")).isNotEmpty();
    costs
        .path("groups")
        .forEach(g -> assertThat(g.path("key").path("service").asText()).isEqualTo("beta-svc"));
  }

  // --- health, metrics, OpenAPI ---------------------------------------------------------------

  @Test
  void healthAndMetrics_needNoKey_andRequestMetricsUseRouteTemplates() throws Exception {
    Reply health = api.get("/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("status").asText()).isEqualTo("ok");
    api.get("/api/v1/chains/" + crewTrace, KEY_A);
    String metrics = api.text("/metrics");
    assertThat(metrics)
        .contains("agentledger_api_requests_seconds_count")
        .contains("route=\"/api/v1/chains/{traceId}\"")
        .doesNotContain(crewTrace)
        .contains("agentledger_spans_accepted_total")
        .contains("agentledger_consumer_lag");
  }

  @Test
  void openApiDocument_isValidOpenApi3_andListsEveryRoute() throws Exception {
    String doc = api.text("/openapi.json");
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc);
    assertThat(parsed.getMessages()).isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
    Set<String> paths = parsed.getOpenAPI().getPaths().keySet();
    QueryApi queryApi =
        new QueryApi(
            app.store(),
            io.agentledger.core.auth.ApiKeys.parse("x:" + KEY_A),
            io.agentledger.core.pricing.PriceCatalog.bundled(),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
            java.time.Clock.systemUTC(),
            "t");
    for (ApiRoute route : queryApi.routes()) {
      assertThat(paths).contains(QueryApi.ROOT + route.path());
      var item = parsed.getOpenAPI().getPaths().get(QueryApi.ROOT + route.path());
      assertThat(
              item.readOperationsMap()
                  .get(io.swagger.v3.oas.models.PathItem.HttpMethod.valueOf(route.method().name())))
          .as(route.method() + " " + route.path())
          .isNotNull();
    }
    assertThat(paths).contains("/health", "/metrics", "/openapi.json");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Every trace id of a listing, following nextCursor to the end. */
  private List<String> listAll(String path, String key) throws Exception {
    List<String> out = new ArrayList<>();
    String cursor = null;
    do {
      String sep = path.contains("?") ? "&" : "?";
      Reply r = api.get(path + (cursor == null ? "" : sep + "cursor=" + ApiClient.q(cursor)), key);
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      r.body().path("items").forEach(i -> out.add(i.path("traceId").asText()));
      cursor = r.body().has("nextCursor") ? r.body().path("nextCursor").asText() : null;
    } while (cursor != null);
    return out;
  }

  private static Map<String, JsonNode> byKey(JsonNode array, String field) {
    Map<String, JsonNode> out = new HashMap<>();
    array.forEach(n -> out.put(n.path(field).asText(), n));
    return out;
  }

  private static List<JsonNode> flatten(JsonNode nodes) {
    List<JsonNode> out = new ArrayList<>();
    nodes.forEach(
        n -> {
          out.add(n);
          out.addAll(flatten(n.path("children")));
        });
    return out;
  }
}
