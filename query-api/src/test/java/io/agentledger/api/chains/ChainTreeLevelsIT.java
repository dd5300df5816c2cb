package io.agentledger.api.chains;

import static io.agentledger.api.chains.TwoProjectApi.KEY_A;
import static io.agentledger.api.chains.TwoProjectApi.KEY_B;
import static io.agentledger.core.testing.TestSpans.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.FlatTree;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.testing.TestSpans;
import io.agentledger.store.SpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /chains/{traceId}?depth&parent} over real HTTP on a real DuckDB store: a settled chain
 * with a stored cost tree is answered without reading its spans, and answers exactly what the same
 * chain rolled up at request time answers; the whole tree streamed equals the default answer's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainTreeLevelsIT {

  static final String SETTLED = "0af7651916cd43dd8448eb211c80aa01";
  static final String UNSETTLED = "0af7651916cd43dd8448eb211c80aa02";

  DuckDbSpanStore store;
  TwoProjectApi api;
  final AtomicInteger spanReads = new AtomicInteger();

  @BeforeAll
  void start(@TempDir Path dir) {
    store = DuckDbSpanStore.open(dir.resolve("api.duckdb"), Clock.systemUTC());
    store.append(chain(SETTLED));
    store.append(chain(UNSETTLED));
    ChainRollupResult settled = ChainRollup.compute(chain(SETTLED));
    store.saveRollups(List.of(settled));
    store.replaceCostTrees("alpha", List.of(FlatTree.of(settled, chain(SETTLED).size())));
    api = TwoProjectApi.start(countingSpanReads(store));
  }

  /** The store, counting the reads of chains' spans (what the stored tree makes unnecessary). */
  private SpanStore countingSpanReads(SpanStore delegate) {
    return (SpanStore)
        Proxy.newProxyInstance(
            SpanStore.class.getClassLoader(),
            new Class<?>[] {SpanStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("chainSpans")) {
                spanReads.incrementAndGet();
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @AfterAll
  void stop() {
    api.close();
    store.close();
  }

  /**
   * boss → agents a0..a3 (started in that order), each with three $0.01 model calls, the first with
   * a search tool beneath it: 1 + 4 × 5 = 21 spans, four levels.
   */
  private static List<AgentSpan> chain(String traceId) {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(
        TestSpans.span("root", null)
            .project("alpha")
            .trace(traceId)
            .agent("boss")
            .at(0, 900)
            .build());
    for (int a = 0; a < 4; a++) {
      String agent = "a" + a;
      spans.add(
          TestSpans.span(agent, "root")
              .project("alpha")
              .trace(traceId)
              .agent(agent)
              .at(1 + 100 * a, 90)
              .build());
      for (int c = 0; c < 3; c++) {
        spans.add(
            TestSpans.span(agent + "c" + c, agent)
                .project("alpha")
                .trace(traceId)
                .llm("openai", "gpt-4o")
                .usage(100, 10, "0.01")
                .at(2 + 100 * a + 10 * c, 5)
                .build());
      }
      spans.add(
          TestSpans.span(agent + "t", agent + "c0")
              .project("alpha")
              .trace(traceId)
              .tool("search")
              .at(3 + 100 * a, 1)
              .build());
    }
    return spans;
  }

  @Test
  void wholeTreeStreamed_isTheDefaultAnswer_settledOrNot() throws Exception {
    for (String trace : List.of(SETTLED, UNSETTLED)) {
      JsonNode whole = api.json("/api/v1/chains/" + trace, KEY_A, 200);
      JsonNode streamed = api.json("/api/v1/chains/" + trace + "?depth=all", KEY_A, 200);
      assertThat(streamed.path("treeSpans").asInt()).isEqualTo(21);
      assertThat(streamed.path("treeTruncated").asBoolean()).isFalse();
      assertThat(streamed).isEqualTo(whole);
    }
  }

  @Test
  void settledChain_answeredFromItsStoredTree_sameAsRolledUp() throws Exception {
    int before = spanReads.get();
    for (String query :
        List.of(
            "?depth=0",
            "?depth=1",
            "?depth=2",
            "?depth=all",
            "?parent=" + id("a1"),
            "?parent=" + id("a1") + "&depth=2",
            "?parent=" + id("a1c0"))) {
      JsonNode settled = api.json("/api/v1/chains/" + SETTLED + query, KEY_A, 200);
      JsonNode unsettled = api.json("/api/v1/chains/" + UNSETTLED + query, KEY_A, 200);
      assertThat(withoutTraceId(settled)).as(query).isEqualTo(withoutTraceId(unsettled));
    }
    // Seven answers on the unsettled chain rolled it up; none on the settled one did.
    assertThat(spanReads.get() - before).isEqualTo(7);
  }

  @Test
  void depth_opensTheTreeLevelByLevel() throws Exception {
    JsonNode summary = api.json("/api/v1/chains/" + SETTLED + "?depth=0", KEY_A, 200);
    assertThat(summary.path("costUsd").decimalValue()).isEqualByComparingTo("0.12");
    assertThat(summary.path("spanCount").asInt()).isEqualTo(21);
    assertThat(summary.path("byAgent")).hasSize(5);
    assertThat(summary.path("tree")).isEmpty();
    assertThat(summary.path("treeSpans").asInt()).isZero();
    assertThat(summary.path("treeTruncated").asBoolean()).isTrue();

    JsonNode two = api.json("/api/v1/chains/" + SETTLED + "?depth=2", KEY_A, 200);
    JsonNode root = two.path("tree").get(0);
    assertThat(two.path("tree")).hasSize(1);
    assertThat(root.path("spanId").asText()).isEqualTo(id("root"));
    assertThat(root.path("totalCostUsd").decimalValue()).isEqualByComparingTo("0.12");
    assertThat(root.has("omittedChildren")).isFalse();
    assertThat(root.path("children")).hasSize(4);
    JsonNode a2 = root.path("children").get(2);
    assertThat(a2.path("spanId").asText()).isEqualTo(id("a2"));
    assertThat(a2.path("totalCostUsd").decimalValue()).isEqualByComparingTo("0.03");
    assertThat(a2.path("omittedChildren").asInt()).isEqualTo(3);
    assertThat(a2.path("children")).isEmpty();
    assertThat(two.path("treeSpans").asInt()).isEqualTo(5);
    assertThat(two.path("treeTruncated").asBoolean()).isTrue();
  }

  @Test
  void parent_opensOneSpan() throws Exception {
    JsonNode calls = api.json("/api/v1/chains/" + SETTLED + "?parent=" + id("a2"), KEY_A, 200);
    assertThat(calls.path("tree")).hasSize(3);
    assertThat(calls.path("tree").get(0).path("spanId").asText()).isEqualTo(id("a2c0"));
    assertThat(calls.path("tree").get(0).path("omittedChildren").asInt()).isEqualTo(1);
    assertThat(calls.path("tree").get(1).has("omittedChildren")).isFalse();
    assertThat(calls.path("treeSpans").asInt()).isEqualTo(3);
    assertThat(calls.path("treeTruncated").asBoolean()).isTrue();

    JsonNode below =
        api.json("/api/v1/chains/" + SETTLED + "?parent=" + id("a2") + "&depth=all", KEY_A, 200);
    assertThat(below.path("tree").get(0).path("children").get(0).path("spanId").asText())
        .isEqualTo(id("a2t"));
    assertThat(below.path("treeSpans").asInt()).isEqualTo(4);
    assertThat(below.path("treeTruncated").asBoolean()).isFalse();
  }

  @Test
  void badParameters_otherProjects_andUnknownSpans() throws Exception {
    api.get("/api/v1/chains/" + SETTLED + "?depth=-1", KEY_A, 400);
    api.get("/api/v1/chains/" + SETTLED + "?depth=some", KEY_A, 400);
    api.get("/api/v1/chains/" + SETTLED + "?parent=" + id("nope"), KEY_A, 404);
    api.get("/api/v1/chains/" + UNSETTLED + "?parent=" + id("nope"), KEY_A, 404);
    api.get("/api/v1/chains/" + SETTLED + "?depth=1", KEY_B, 404);
    api.get("/api/v1/chains/" + UNSETTLED + "?depth=1", KEY_B, 404);
  }

  private static JsonNode withoutTraceId(JsonNode answer) {
    ObjectNode copy = answer.deepCopy();
    copy.remove("traceId");
    return copy;
  }
}
