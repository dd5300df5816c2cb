package io.agentledger.standalone.api;

import static io.agentledger.standalone.api.OtlpChains.id;
import static io.agentledger.standalone.api.OtlpChains.str;
import static io.agentledger.standalone.api.OtlpChains.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import io.agentledger.standalone.api.ApiClient.Reply;
import io.agentledger.standalone.api.OtlpChains.Shape;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool and sandbox prices set through {@code PUT /prices/tools/{tool}}, applied to spans sent over
 * OTLP, and workflow runs ({@code GET /workflows/{id}}), over real HTTP against a running
 * standalone on DuckDB, with two projects.
 *
 * <p>Each chain of project alpha: gpt-4o-mini $0.00021 (OtlpChains), the {@code search} tool
 * ($0.004 per call + 0.2 s × $0.01 = $0.006) and a sandbox span reporting 30 CPU seconds × $0.0005
 * = $0.015. Chain $0.02121, of which tools $0.021.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolCostsAndWorkflowsIT {

  static final String KEY_A = "alpha-key-0123456789abcdef";
  static final String KEY_B = "beta-key-0123456789abcdef0";
  static final String CHAIN_USD = "0.02121";
  static final String TOOLS_USD = "0.021";

  Standalone app;
  ApiClient api;
  final long now = System.currentTimeMillis();

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

    // Prices first: the project's first span reads them.
    assertThat(
            api.put(
                    "/api/v1/prices/tools/search",
                    KEY_A,
                    "{\"perCallUsd\": 0.004, \"perSecondUsd\": 0.01}")
                .status())
        .isEqualTo(200);
    Reply sandbox =
        api.put(
            "/api/v1/prices/tools/sandbox.run",
            KEY_A,
            "{\"kind\": \"sandbox\", \"perUnitUsd\": 0.0005, \"unitAttribute\":"
                + " \"sandbox.cpu_seconds\", \"effectiveFrom\": \"2020-01-01\"}");
    assertThat(sandbox.status()).as(sandbox.raw()).isEqualTo(200);
    assertThat(sandbox.body().path("kind").asText()).isEqualTo("sandbox");

    send(KEY_A, 1, "order-42", "30");
    send(KEY_A, 2, "order-42", "30");
    send(KEY_A, 3, "order-43", null); // the sandbox reports no units: unknown
    send(KEY_B, 4, "order-42", "30"); // beta has no tool prices
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api.get("/api/v1/chains?limit=100", KEY_A).body().path("items").size() == 3
                    && api.get("/api/v1/chains?limit=100", KEY_B).body().path("items").size() == 1);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  /** One OtlpChains chain, its agent in a Temporal workflow, plus a sandbox span. */
  private void send(String key, long traceNo, String workflowId, String cpuSeconds)
      throws Exception {
    ResourceSpans base =
        OtlpChains.resourceSpans(
            new Shape(
                traceNo,
                now - 60_000 + traceNo * 1_000,
                "svc",
                "1",
                "coder",
                "1",
                "s-" + key.charAt(0),
                "u"));
    ScopeSpans scope = base.getScopeSpans(0);
    Span agent =
        scope.getSpans(0).toBuilder().addAttributes(str("temporalWorkflowID", workflowId)).build();
    long t0 = agent.getStartTimeUnixNano();
    Span.Builder box =
        Span.newBuilder()
            .setTraceId(agent.getTraceId())
            .setSpanId(id(8, traceNo * 10 + 4))
            .setParentSpanId(agent.getSpanId())
            .setName("sandbox.run")
            .setStartTimeUnixNano(t0 + 1_300_000_000L)
            .setEndTimeUnixNano(t0 + 2_300_000_000L);
    if (cpuSeconds != null) {
      box.addAttributes(
          KeyValue.newBuilder()
              .setKey("sandbox.cpu_seconds")
              .setValue(AnyValue.newBuilder().setDoubleValue(Double.parseDouble(cpuSeconds))));
    }
    ScopeSpans changed = scope.toBuilder().setSpans(0, agent).addSpans(box).build();
    byte[] body =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(base.toBuilder().setScopeSpans(0, changed))
            .build()
            .toByteArray();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(app.tracesEndpoint())
                    .header("Content-Type", "application/x-protobuf")
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    return StreamSupport.stream(array.spliterator(), false)
        .filter(n -> n.path(field).asText().equals(value))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + field + "=" + value + " in " + array));
  }

  @Test
  void chain_includesToolCosts_showsThemApart_andSaysWhereEachCameFrom() throws Exception {
    Reply r = api.get("/api/v1/chains/" + traceId(1), KEY_A);
    JsonNode c = r.body();
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(c.path("costUsd").decimalValue()).as(r.raw()).isEqualByComparingTo(CHAIN_USD);
    assertThat(c.path("toolCostUsd").decimalValue()).isEqualByComparingTo(TOOLS_USD);
    assertThat(c.path("costComplete").asBoolean()).isTrue();
    assertThat(c.path("llmCalls").asInt()).isEqualTo(1);
    assertThat(c.path("workflowId").asText()).isEqualTo("order-42");
    JsonNode coder = find(c.path("byAgent"), "agent", "coder");
    assertThat(coder.path("exclusiveCostUsd").decimalValue()).isEqualByComparingTo(CHAIN_USD);
    assertThat(coder.path("toolCostUsd").decimalValue()).isEqualByComparingTo(TOOLS_USD);
    assertThat(c.path("byModel")).hasSize(1);

    JsonNode children = c.path("tree").get(0).path("children");
    JsonNode search = find(children, "name", "execute_tool search");
    assertThat(search.path("costUsd").decimalValue()).isEqualByComparingTo("0.006");
    assertThat(search.path("costSource").asText()).isEqualTo("computed");
    assertThat(search.path("pricedAs").asText()).isEqualTo("tool:search");
    JsonNode box = find(children, "name", "sandbox.run");
    assertThat(box.path("costUsd").decimalValue()).isEqualByComparingTo("0.015");
    assertThat(box.path("costDetail").asText()).contains("sandbox price", "sandbox.cpu_seconds");

    // The list shows the same split.
    JsonNode listed =
        find(
            api.get("/api/v1/chains?limit=100", KEY_A).body().path("items"), "traceId", traceId(1));
    assertThat(listed.path("toolCostUsd").decimalValue()).isEqualByComparingTo(TOOLS_USD);
  }

  @Test
  void sandboxWithoutItsUnits_isUnknown_andTheChainSaysIncomplete() throws Exception {
    JsonNode c = api.get("/api/v1/chains/" + traceId(3), KEY_A).body();
    assertThat(c.path("costComplete").asBoolean()).isFalse();
    assertThat(c.path("unpricedCalls").asInt()).isEqualTo(1);
    // Known part only: the model call and the search tool.
    assertThat(c.path("costUsd").decimalValue()).isEqualByComparingTo("0.00621");
    assertThat(c.path("toolCostUsd").decimalValue()).isEqualByComparingTo("0.006");
    JsonNode box = find(c.path("tree").get(0).path("children"), "name", "sandbox.run");
    assertThat(box.path("costSource").asText()).isEqualTo("unknown");
    assertThat(box.path("costUsd").isNull()).isTrue();
  }

  @Test
  void workflow_addsUpItsChains_404sWhenUnknown_andIsolatesProjects() throws Exception {
    Reply r = api.get("/api/v1/workflows/order-42", KEY_A);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode w = r.body();
    assertThat(w.path("workflowId").asText()).isEqualTo("order-42");
    assertThat(w.path("chains").asInt()).isEqualTo(2);
    assertThat(w.path("traceIds"))
        .extracting(JsonNode::asText)
        .containsExactly(traceId(1), traceId(2));
    assertThat(w.path("costUsd").decimalValue()).isEqualByComparingTo("0.04242");
    assertThat(w.path("toolCostUsd").decimalValue()).isEqualByComparingTo("0.042");
    assertThat(w.path("costComplete").asBoolean()).isTrue();
    assertThat(find(w.path("byModel"), "model", "gpt-4o-mini").path("costUsd").decimalValue())
        .isEqualByComparingTo("0.00042");
    assertThat(find(w.path("byAgent"), "agent", "coder").path("toolCostUsd").decimalValue())
        .isEqualByComparingTo("0.042");

    JsonNode incomplete = api.get("/api/v1/workflows/order-43", KEY_A).body();
    assertThat(incomplete.path("costComplete").asBoolean()).isFalse();

    // Beta's chain of the same workflow id: its own, without tool prices.
    JsonNode beta = api.get("/api/v1/workflows/order-42", KEY_B).body();
    assertThat(beta.path("traceIds")).extracting(JsonNode::asText).containsExactly(traceId(4));
    assertThat(beta.path("costUsd").decimalValue()).isEqualByComparingTo(OtlpChains.CALL_USD);
    assertThat(beta.path("toolCostUsd").decimalValue()).isEqualByComparingTo("0");

    Reply unknown = api.get("/api/v1/workflows/order-43", KEY_B);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(unknown.body().path("detail").asText()).contains("order-43");
    assertThat(api.get("/api/v1/workflows/order-42", null).status()).isEqualTo(401);
  }

  @Test
  void chainList_filteredByWorkflow_listsTheRunsChainsOnly() throws Exception {
    JsonNode run = api.get("/api/v1/chains?workflowId=order-42", KEY_A).body();
    assertThat(run.path("items"))
        .extracting(c -> c.path("traceId").asText())
        .containsExactly(traceId(2), traceId(1)); // newest first
    assertThat(run.path("items"))
        .allSatisfy(c -> assertThat(c.path("workflowId").asText()).isEqualTo("order-42"));
    assertThat(api.get("/api/v1/chains?workflowId=order-43", KEY_A).body().path("items"))
        .extracting(c -> c.path("traceId").asText())
        .containsExactly(traceId(3));
    assertThat(api.get("/api/v1/chains?workflowId=nope", KEY_A).body().path("items")).isEmpty();
    assertThat(api.get("/api/v1/chains?workflowId=*", KEY_A).body().path("items")).hasSize(3);
    assertThat(api.get("/api/v1/chains?workflowId=order-42", KEY_B).body().path("items"))
        .extracting(c -> c.path("traceId").asText())
        .containsExactly(traceId(4)); // the key decides the project
  }

  @Test
  void sessionAndAgents_showToolCostsApart() throws Exception {
    JsonNode s = api.get("/api/v1/sessions/s-a", KEY_A).body();
    // Three chains: 2 × 0.02121 + 0.00621.
    assertThat(s.path("costUsd").decimalValue()).isEqualByComparingTo("0.04863");
    assertThat(s.path("toolCostUsd").decimalValue()).isEqualByComparingTo("0.048");

    JsonNode coder = find(api.get("/api/v1/agents", KEY_A).body().path("items"), "agent", "coder");
    assertThat(coder.path("costUsd").decimalValue()).isEqualByComparingTo("0.04863");
    assertThat(coder.path("toolCostUsd").decimalValue()).isEqualByComparingTo("0.048");
    assertThat(coder.path("costComplete").asBoolean()).isFalse();
  }

  @Test
  void prices_listTheProjectsToolPrices_andRefuseInvalidOnes() throws Exception {
    JsonNode alpha = api.get("/api/v1/prices", KEY_A).body();
    JsonNode search = find(alpha.path("tools"), "tool", "search");
    assertThat(search.path("kind").asText()).isEqualTo("tool");
    assertThat(search.path("perCallUsd").decimalValue()).isEqualByComparingTo("0.004");
    assertThat(search.path("perSecondUsd").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(find(alpha.path("tools"), "tool", "sandbox.run").path("unitAttribute").asText())
        .isEqualTo("sandbox.cpu_seconds");
    assertThat(alpha.path("models").size()).isGreaterThan(10);
    assertThat(api.get("/api/v1/prices", KEY_B).body().path("tools")).isEmpty();

    for (String bad :
        new String[] {
          "{}",
          "{\"perUnitUsd\": 1}",
          "{\"perCallUsd\": -1}",
          "{\"perCallUsd\": \"1\"}",
          "{\"perCall\": 1}",
          "{\"perCallUsd\": 1, \"kind\": \"vm\"}",
          "[1]"
        }) {
      Reply r = api.put("/api/v1/prices/tools/x", KEY_B, bad);
      assertThat(r.status()).as(bad + " → " + r.raw()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(api.get("/api/v1/prices", KEY_B).body().path("tools")).isEmpty();
    // The model override route still answers for any other provider.
    assertThat(api.put("/api/v1/prices/acme/m1", KEY_B, "{\"input\": 1, \"output\": 2}").status())
        .isEqualTo(200);
  }

  @Test
  void openApi_documentsTheNewRoutes() throws Exception {
    JsonNode doc = ApiClient.JSON.readTree(api.text("/openapi.json"));
    assertThat(doc.path("paths").has("/api/v1/workflows/{workflowId}")).isTrue();
    assertThat(doc.path("paths").path("/api/v1/prices/tools/{tool}").has("put")).isTrue();
  }
}
