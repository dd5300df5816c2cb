package io.agentledger.core.decision;

import static io.agentledger.core.testing.TestSpans.id;
import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTreeBuilderTest {

  private static final long T0 = 1_763_900_000_000_000_000L;

  @Test
  void decisionHandoffAndApproval_becomeNodes_handoffEdgeJoinsTheAgents() {
    AgentSpan planner =
        withEvents(
            span("planner", null).agent("planner").at(0, 100).build(),
            new SpanEvent(
                at(5),
                "agentledger.decision",
                Map.of(
                    "agentledger.decision.name", "route",
                    "agentledger.decision.options", "[\"research\",\"write_directly\"]",
                    "agentledger.decision.chosen", "research",
                    "agentledger.decision.reason", "needs sources",
                    "agentledger.decision.score", "0.82")),
            new SpanEvent(
                at(6), "agentledger.handoff", Map.of("agentledger.handoff.to", "writer")));
    AgentSpan writer = span("writer", "planner").agent("writer").at(7, 50).build();
    AgentSpan approval =
        withAttributes(
            span("approve", "writer").agentAttribute("writer").at(20, 30).build(),
            Map.of(
                "agentledger.approval.action", "publish",
                "agentledger.approval.status", "approved",
                "agentledger.approval.by", "alice",
                "agentledger.approval.wait_ms", "29"));

    DecisionTree tree = DecisionTree.of(ChainRollup.compute(List.of(planner, writer, approval)));

    assertThat(Fixtures.outline(tree))
        .isEqualTo(
            """
            agent:planner
              decision:route
              handoff:planner → writer
              agent:writer
                approval:publish
            """);
    assertThat(Fixtures.typedEdges(tree)).containsExactly("agent:planner -handoff-> agent:writer");
    DecisionNode decision = tree.nodes().get(1);
    assertThat(decision.id()).isEqualTo(id("planner") + "#0");
    assertThat(decision.detail().options()).containsExactly("research", "write_directly");
    assertThat(decision.detail().choice()).isEqualTo("research");
    assertThat(decision.detail().reason()).isEqualTo("needs sources");
    assertThat(decision.detail().score()).isEqualTo(0.82);
    assertThat(decision.runId()).isEqualTo(id("planner"));
    DecisionNode handoff = tree.nodes().get(2);
    assertThat(handoff.detail().from()).isEqualTo("planner");
    assertThat(handoff.detail().to()).isEqualTo("writer");
    DecisionNode gate = tree.nodes().get(4);
    assertThat(gate.detail().outcome()).isEqualTo("approved");
    assertThat(gate.detail().by()).isEqualTo("alice");
    assertThat(gate.detail().waitMs()).isEqualTo(29L);
    assertThat(gate.runId()).isEqualTo(id("writer"));
    assertThat(tree.runNodes(id("planner")))
        .extracting(Fixtures::name)
        .containsExactly("agent:planner", "decision:route", "handoff:planner → writer");
    DecisionTreeConventionsTest.assertWellFormed(tree);
  }

  @Test
  void failedToolRepeated_isARetry_theExceptionAnErrorNode() {
    AgentSpan agent = span("agent", null).agent("a").at(0, 100).build();
    AgentSpan first =
        withEvents(
            span("search1", "agent").tool("search").at(10, 5).error().build(),
            new SpanEvent(
                at(14),
                "exception",
                Map.of(
                    "exception.type",
                    "java.net.SocketTimeoutException",
                    "exception.message",
                    "x")));
    AgentSpan second = span("search2", "agent").tool("search").at(20, 5).build();
    AgentSpan third = span("search3", "agent").tool("search").at(30, 5).build();

    DecisionTree tree = DecisionTree.of(ChainRollup.compute(List.of(agent, first, second, third)));

    assertThat(Fixtures.outline(tree))
        .isEqualTo(
            """
            agent:a
              tool:search
                error:java.net.SocketTimeoutException
              tool:search
              tool:search
            """);
    assertThat(tree.edges())
        .filteredOn(e -> e.kind() == EdgeKind.RETRY)
        .containsExactly(new DecisionEdge(id("search1"), id("search2"), EdgeKind.RETRY));
    assertThat(tree.edges())
        .filteredOn(e -> e.kind() == EdgeKind.NEXT)
        .containsExactly(
            new DecisionEdge(id("search1"), id("search2"), EdgeKind.NEXT),
            new DecisionEdge(id("search2"), id("search3"), EdgeKind.NEXT));
    assertThat(tree.nodes()).extracting(DecisionNode::attempt).containsExactly(1, 1, 1, 2, 1);
    assertThat(tree.nodes().get(1).status()).isEqualTo("error");
    assertThat(tree.nodes().get(1).detail().errorType()).isEqualTo("timeout");
    assertThat(tree.nodes().get(2).detail().errorType())
        .isEqualTo("java.net.SocketTimeoutException");
  }

  @Test
  void toolCallIdThatMatchesNothing_fallsBackToNameAndOrder_elseNoEdge() {
    AgentSpan agent = span("agent", null).agent("a").at(0, 100).build();
    AgentSpan llm =
        withAttributes(
            span("llm", "agent").llm("openai", "gpt-4o").at(1, 5).build(),
            Map.of(
                "gen_ai.output.messages",
                "[{\"role\":\"assistant\",\"parts\":["
                    + "{\"type\":\"tool_call\",\"id\":\"call_gone\",\"name\":\"lookup\"},"
                    + "{\"type\":\"tool_call\",\"id\":\"call_nowhere\",\"name\":\"missing\"}]}]"));
    AgentSpan early = toolCallId(span("early", "agent").tool("lookup").at(0, 1).build(), "x1");
    AgentSpan lookup = toolCallId(span("lookup", "agent").tool("lookup").at(10, 1).build(), "x2");

    DecisionTree tree = DecisionTree.of(ChainRollup.compute(List.of(agent, llm, early, lookup)));

    // The id matches no execution: the first lookup after the model call is taken by name.
    assertThat(tree.edges())
        .filteredOn(e -> e.kind() == EdgeKind.CHOSE)
        .containsExactly(new DecisionEdge(id("llm"), id("lookup"), EdgeKind.CHOSE));
    DecisionTreeConventionsTest.assertWellFormed(tree);
  }

  @Test
  void modelThatStoppedForToolsButNamedNone_choseTheToolsBeforeTheNextModelCall() {
    AgentSpan agent = span("agent", null).agent("a").at(0, 100).build();
    AgentSpan llm1 =
        finish(span("llm1", "agent").llm("anthropic", "claude").at(1, 5).build(), "tool_use");
    AgentSpan toolA = span("toolA", "agent").tool("search").at(10, 1).build();
    AgentSpan toolB = span("toolB", "agent").tool("fetch").at(12, 1).build();
    AgentSpan llm2 =
        finish(span("llm2", "agent").llm("anthropic", "claude").at(20, 5).build(), "end_turn");
    AgentSpan toolC = span("toolC", "agent").tool("search").at(30, 1).build();

    DecisionTree tree =
        DecisionTree.of(ChainRollup.compute(List.of(agent, llm1, toolA, toolB, llm2, toolC)));

    assertThat(tree.edges())
        .filteredOn(e -> e.kind() == EdgeKind.CHOSE)
        .containsExactlyInAnyOrder(
            new DecisionEdge(id("llm1"), id("toolA"), EdgeKind.CHOSE),
            new DecisionEdge(id("llm1"), id("toolB"), EdgeKind.CHOSE));
  }

  @Test
  void missingParentsAndParentCycles_giveAWellFormedTree() {
    AgentSpan orphan = span("orphan", "gone").agent("lost").at(0, 10).build();
    AgentSpan child = span("child", "orphan").tool("t").at(1, 1).build();
    AgentSpan a = span("a", "b").at(5, 1).build();
    AgentSpan b = span("b", "a").at(6, 1).build();

    DecisionTree tree = DecisionTree.of(ChainRollup.compute(List.of(orphan, child, a, b)));

    assertThat(tree.nodes()).hasSize(4);
    assertThat(tree.nodes()).filteredOn(DecisionNode::isRoot).hasSize(2);
    DecisionTreeConventionsTest.assertWellFormed(tree);
  }

  @Test
  void hundredThousandNestedSpans_noStackOverflow_depthFirstNumbering() {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(span("s0", null).agent("deep").at(0, 200_000).build());
    for (int i = 1; i < 100_000; i++) {
      spans.add(
          span("s" + i, "s" + (i - 1))
              .type(i % 2 == 0 ? SpanType.CHAIN : SpanType.TOOL)
              .tool("t")
              .at(i, 1)
              .build());
    }
    DecisionTree tree = DecisionTree.of(ChainRollup.compute(spans));

    assertThat(tree.nodes()).hasSize(100_000);
    assertThat(tree.nodes().get(99_999).parentId()).isEqualTo(tree.nodes().get(99_998).id());
    assertThat(tree.nodes().get(99_999).runId()).isEqualTo(tree.nodes().get(0).id());
  }

  @Test
  void pages_coverEveryNodeAndEdgeOnce_andRoundTripThroughStoredRows() {
    DecisionTree tree = Fixtures.tree("vercel-ai-v7/01-generate-text.binpb");
    List<DecisionNode> nodes = new ArrayList<>();
    Set<DecisionEdge> edges = new HashSet<>();
    int after = -1;
    while (true) {
      DecisionTreePage page = tree.page(after, 2);
      assertThat(page.totalNodes()).isEqualTo(tree.nodes().size());
      nodes.addAll(page.nodes());
      page.edges().forEach(e -> assertThat(edges.add(e)).isTrue());
      if (page.nextCursor().isEmpty()) {
        break;
      }
      after = DecisionTreePage.afterSeq(page.nextCursor().get());
    }
    assertThat(nodes).isEqualTo(tree.nodes());
    assertThat(edges).containsExactlyInAnyOrderElementsOf(tree.edges());

    for (DecisionJson.Row row : DecisionJson.rows(tree)) {
      assertThat(DecisionJson.read(DecisionJson.write(row))).isEqualTo(row);
    }
    assertThatThrownBy(() -> DecisionTreePage.afterSeq("bogus"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void storedRows_keepUnknownCostsAndDetails() {
    DecisionNode node =
        new DecisionNode(
            3,
            "ab#1",
            "ab",
            "ab",
            NodeKind.LLM,
            "gpt",
            "a",
            "ab",
            7,
            9,
            "error",
            null,
            new BigDecimal("0.000123"),
            null,
            null,
            2,
            NodeDetail.llm("gpt", "tool_calls", List.of(new ToolChoice("c1", "search", "{}"))));
    DecisionJson.Row row =
        new DecisionJson.Row(node, List.of(new DecisionEdge("x", "ab#1", EdgeKind.RETRY)));

    assertThat(DecisionJson.read(DecisionJson.write(row))).isEqualTo(row);
  }

  @Test
  void nodeGraph_hasGrafanaFieldNames_arcsSumToOne() {
    DecisionTree tree = Fixtures.tree("pydantic-ai/01-agent-tool-chat.json");

    List<Map<String, Object>> nodes = NodeGraph.nodes(tree.nodes());
    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n).containsKeys("id", "title", "subTitle", "mainStat", "secondaryStat");
              double arcs =
                  NodeGraph.ARC_STATUSES.stream()
                      .mapToDouble(s -> (Double) n.get("arc__" + s))
                      .sum();
              assertThat(arcs).isEqualTo(1.0);
            });
    assertThat(nodes.get(1)).containsEntry("title", "gpt-4o-2024-08-06");
    assertThat(nodes.get(1)).containsEntry("detail__chosenTools", "get_weather");
    assertThat(NodeGraph.edges(tree.edges()))
        .allSatisfy(e -> assertThat(e).containsOnlyKeys("id", "source", "target", "mainStat"))
        .anySatisfy(e -> assertThat(e).containsEntry("mainStat", "chose"));
  }

  private static long at(long millis) {
    return T0 + millis * 1_000_000;
  }

  private static AgentSpan withEvents(AgentSpan span, SpanEvent... events) {
    return span.toBuilder().events(List.of(events)).build();
  }

  private static AgentSpan withAttributes(AgentSpan span, Map<String, String> attributes) {
    return span.toBuilder().attributes(attributes).build();
  }

  private static AgentSpan finish(AgentSpan span, String reason) {
    AgentSemantics s = span.semantics();
    return span.toBuilder()
        .semantics(
            new AgentSemantics(
                s.type(),
                s.operationName(),
                s.agentName(),
                s.agentId(),
                s.agentVersion(),
                s.sessionId(),
                s.userId(),
                s.provider(),
                s.requestModel(),
                s.responseModel(),
                s.toolName(),
                s.toolCallId(),
                List.of(reason)))
        .build();
  }

  private static AgentSpan toolCallId(AgentSpan span, String callId) {
    AgentSemantics s = span.semantics();
    return span.toBuilder()
        .semantics(
            new AgentSemantics(
                s.type(),
                s.operationName(),
                s.agentName(),
                s.agentId(),
                s.agentVersion(),
                s.sessionId(),
                s.userId(),
                s.provider(),
                s.requestModel(),
                s.responseModel(),
                s.toolName(),
                callId,
                s.finishReasons()))
        .build();
  }
}
