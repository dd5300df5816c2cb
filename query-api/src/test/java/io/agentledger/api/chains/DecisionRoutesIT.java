package io.agentledger.api.chains;

import static io.agentledger.api.chains.TwoProjectApi.KEY_A;
import static io.agentledger.api.chains.TwoProjectApi.KEY_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.testing.TestSpans;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /chains/{traceId}/decisions} over real HTTP on a real DuckDB store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionRoutesIT {

  static final String SETTLED = "0af7651916cd43dd8448eb211c80dec1";
  static final String UNSETTLED = "0af7651916cd43dd8448eb211c80dec2";

  DuckDbSpanStore store;
  TwoProjectApi api;

  @BeforeAll
  void start(@TempDir Path dir) {
    store = DuckDbSpanStore.open(dir.resolve("api.duckdb"), Clock.systemUTC());
    store.append(chain(SETTLED));
    store.append(chain(UNSETTLED));
    store.replaceDecisionTrees(
        "alpha", List.of(DecisionTree.of(ChainRollup.compute(chain(SETTLED)))));
    api = TwoProjectApi.start(store);
  }

  @AfterAll
  void stop() {
    api.close();
    store.close();
  }

  /**
   * Planner ($0.30 call, a recorded decision) hands off to writer, whose model call ($0.45) asks
   * for search, which fails once and is retried.
   */
  private static List<AgentSpan> chain(String traceId) {
    List<AgentSpan> spans = new ArrayList<>();
    AgentSpan planner =
        TestSpans.span("root", null)
            .project("alpha")
            .trace(traceId)
            .agent("planner")
            .at(0, 100)
            .build();
    spans.add(
        planner.toBuilder()
            .events(
                List.of(
                    new SpanEvent(
                        planner.startEpochNanos() + 15_000_000,
                        "agentledger.decision",
                        Map.of(
                            "agentledger.decision.name", "route",
                            "agentledger.decision.options", "[\"write\",\"ask\"]",
                            "agentledger.decision.chosen", "write")),
                    new SpanEvent(
                        planner.startEpochNanos() + 16_000_000,
                        "agentledger.handoff",
                        Map.of("agentledger.handoff.to", "writer"))))
            .build());
    spans.add(
        TestSpans.span("llm1", "root")
            .project("alpha")
            .trace(traceId)
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 10)
            .build());
    spans.add(
        TestSpans.span("writer", "root")
            .project("alpha")
            .trace(traceId)
            .agent("writer")
            .at(20, 50)
            .build());
    AgentSpan llm2 =
        TestSpans.span("llm2", "writer")
            .project("alpha")
            .trace(traceId)
            .llm("anthropic", "claude-sonnet-4-5")
            .usage(2000, 300, "0.45")
            .at(21, 10)
            .build();
    spans.add(
        llm2.toBuilder()
            .attributes(
                Map.of(
                    "gen_ai.output.messages",
                    "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"c1\","
                        + "\"name\":\"search\",\"arguments\":{\"q\":\"x\"}}]}]"))
            .build());
    spans.add(
        TestSpans.span("t1", "writer")
            .project("alpha")
            .trace(traceId)
            .tool("search")
            .at(35, 5)
            .error()
            .build());
    spans.add(
        TestSpans.span("t2", "writer")
            .project("alpha")
            .trace(traceId)
            .tool("search")
            .at(45, 5)
            .build());
    return spans;
  }

  @Test
  void settledChain_isReadFromTheStore_pageByPage() throws Exception {
    JsonNode first = api.json("/api/v1/chains/" + SETTLED + "/decisions?limit=4", KEY_A, 200);
    assertThat(first.path("settled").asBoolean()).isTrue();
    assertThat(first.path("totalNodes").asInt()).isEqualTo(8);
    assertThat(first.path("nodes").size()).isEqualTo(4);
    JsonNode root = first.path("nodes").get(0);
    assertThat(root.path("kind").asText()).isEqualTo("agent");
    assertThat(root.path("label").asText()).isEqualTo("planner");
    assertThat(root.path("totalCostUsd").decimalValue()).isEqualByComparingTo("0.75");
    assertThat(root.path("costUsd").decimalValue()).isEqualByComparingTo("0");
    assertThat(root.has("parentId")).isFalse();
    JsonNode decision = first.path("nodes").get(2);
    assertThat(decision.path("kind").asText()).isEqualTo("decision");
    assertThat(decision.path("options").toString()).isEqualTo("[\"write\",\"ask\"]");
    assertThat(decision.path("choice").asText()).isEqualTo("write");
    assertThat(decision.has("model")).isFalse();

    String cursor = first.path("nextCursor").asText();
    JsonNode second =
        api.json("/api/v1/chains/" + SETTLED + "/decisions?limit=4&cursor=" + cursor, KEY_A, 200);
    assertThat(second.path("nodes").size()).isEqualTo(4);
    assertThat(second.has("nextCursor")).isFalse();
    JsonNode llm = second.path("nodes").get(1);
    assertThat(llm.path("chosenTools").get(0).path("name").asText()).isEqualTo("search");
    assertThat(llm.path("costUsd").decimalValue()).isEqualByComparingTo("0.45");
    List<String> kinds = new ArrayList<>();
    first.path("edges").forEach(e -> kinds.add(e.path("kind").asText()));
    second.path("edges").forEach(e -> kinds.add(e.path("kind").asText()));
    assertThat(kinds).contains("calls", "next", "chose", "handoff", "retry");
  }

  @Test
  void unsettledChain_isBuiltFromItsSpans_sameTree() throws Exception {
    JsonNode settled = api.json("/api/v1/chains/" + SETTLED + "/decisions", KEY_A, 200);
    JsonNode unsettled = api.json("/api/v1/chains/" + UNSETTLED + "/decisions", KEY_A, 200);

    assertThat(unsettled.path("settled").asBoolean()).isFalse();
    assertThat(unsettled.path("totalNodes").asInt()).isEqualTo(8);
    assertThat(unsettled.path("edges").size()).isEqualTo(settled.path("edges").size());
  }

  @Test
  void nodeGraphFormat_hasGrafanaFieldNames() throws Exception {
    JsonNode graph =
        api.json("/api/v1/chains/" + SETTLED + "/decisions?format=nodegraph", KEY_A, 200);

    JsonNode node = graph.path("nodes").get(0);
    assertThat(node.path("id").asText()).isNotEmpty();
    assertThat(node.path("title").asText()).isEqualTo("planner");
    assertThat(node.has("subTitle") && node.has("mainStat") && node.has("secondaryStat")).isTrue();
    assertThat(
            node.path("arc__ok").asDouble()
                + node.path("arc__error").asDouble()
                + node.path("arc__unset").asDouble())
        .isEqualTo(1.0);
    JsonNode edge = graph.path("edges").get(0);
    assertThat(edge.has("id") && edge.has("source") && edge.has("target")).isTrue();
    assertThat(edge.path("mainStat").asText()).isEqualTo("calls");
  }

  @Test
  void unknownOrOtherProjectsChain_is404_badParameters_400() throws Exception {
    HttpResponse<String> unknown =
        api.get("/api/v1/chains/" + "0".repeat(31) + "9/decisions", KEY_A, 404);
    assertThat(unknown.headers().firstValue("Content-Type").orElse(""))
        .contains("application/problem+json");
    api.get("/api/v1/chains/" + SETTLED + "/decisions", KEY_B, 404);
    api.get("/api/v1/chains/" + UNSETTLED + "/decisions", KEY_B, 404);
    api.get("/api/v1/chains/" + SETTLED + "/decisions?cursor=zzz", KEY_A, 400);
    api.get("/api/v1/chains/" + SETTLED + "/decisions?format=dot", KEY_A, 400);
    api.get("/api/v1/chains/" + SETTLED + "/decisions?limit=100000", KEY_A, 400);
  }
}
