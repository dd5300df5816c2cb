package io.agentledger.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.span.AgentSpan;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decision trees of the OTLP payloads captured from real instrumentations: the same weather agent
 * (a model call that asks for {@code get_weather}, the tool, a final model call) in every
 * convention yields the nodes and the {@code chose} edge, with the roll-up's costs.
 */
class DecisionTreeConventionsTest {

  static Stream<Arguments> conventions() {
    return Stream.of(
        Arguments.of(
            "openinference/01-agent-tool-roundtrip.binpb",
            """
            agent:research-agent
              llm:gpt-4o-mini-2024-07-18
              tool:get_weather
              llm:gpt-4o-mini-2024-07-18
              llm:text-embedding-3-small
            """,
            "call_weather_0001"),
        Arguments.of(
            // OpenLLMetry: the tool span has no call id; matched by name and order.
            "traceloop/01-workflow-agent-tool.binpb",
            """
            step:weather_workflow.workflow
              agent:research-agent
                llm:gpt-4o-mini-2024-07-18
                llm:gpt-4o-mini-2024-07-18
                tool:get_weather
            """,
            "call_weather_0001"),
        Arguments.of(
            "pydantic-ai/01-agent-tool-chat.json",
            """
            agent:research_agent
              llm:gpt-4o-2024-08-06
              tool:get_weather
              llm:gpt-4o-2024-08-06
            """,
            "call_pyd_0001"),
        Arguments.of(
            "vercel-ai-legacy/01-generate-text.binpb",
            """
            agent:research-agent
              llm:gpt-4o-mini-2024-07-18
                tool:get_weather
              llm:gpt-4o-mini-2024-07-18
            """,
            "call_weather_0001"),
        Arguments.of(
            "vercel-ai-v7/01-generate-text.binpb",
            """
            agent:research-agent
              step:step 1
                llm:gpt-4o-mini-2024-07-18
                tool:get_weather
              step:step 2
                llm:gpt-4o-mini-2024-07-18
            """,
            "call_weather_0001"),
        Arguments.of(
            "langfuse/01-agent-generation-tool.json",
            """
            agent:research-agent
              llm:gpt-4o-mini-2024-07-18
              llm:gpt-4o-mini-2024-07-18
              tool:get_weather
            """,
            "call_weather_0001"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conventions")
  void theModelChoseTheToolItCalled(String fixture, String outline, String callId) {
    DecisionTree tree = Fixtures.tree(fixture);

    assertThat(Fixtures.outline(tree)).isEqualTo(outline);
    DecisionNode firstCall =
        tree.nodes().stream().filter(n -> n.kind() == NodeKind.LLM).findFirst().orElseThrow();
    assertThat(firstCall.detail().chosenTools())
        .extracting(ToolChoice::id, ToolChoice::name, ToolChoice::arguments)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(callId, "get_weather", "{\"city\":\"Paris\"}"));
    if (!fixture.startsWith("langfuse")) { // Langfuse records no finish reason
      assertThat(firstCall.detail().finishReason()).containsIgnoringCase("tool");
    }
    DecisionNode tool =
        tree.nodes().stream().filter(n -> n.kind() == NodeKind.TOOL).findFirst().orElseThrow();
    assertThat(tree.edges())
        .filteredOn(e -> e.kind() == EdgeKind.CHOSE)
        .containsExactly(new DecisionEdge(firstCall.id(), tool.id(), EdgeKind.CHOSE));
    assertThat(Fixtures.typedEdges(tree))
        .containsExactly("llm:" + firstCall.label() + " -chose-> tool:get_weather");
    assertWellFormed(tree);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conventions")
  void nodesCarryTheRollupsOwnAndTotalCosts(String fixture, String outline, String callId) {
    List<AgentSpan> spans = largestTrace(fixture);
    ChainRollupResult rollup = Fixtures.rollup(spans);
    DecisionTree tree = DecisionTree.of(rollup);

    Deque<TreeNode> stack = new ArrayDeque<>(rollup.roots());
    Map<String, DecisionNode> byId =
        tree.nodes().stream().collect(Collectors.toMap(DecisionNode::id, n -> n));
    while (!stack.isEmpty()) {
      TreeNode t = stack.pop();
      DecisionNode n = byId.get(t.span().spanId());
      if (t.costUsd() == null) {
        assertThat(n.costUsd()).as(n.label()).isNull();
      } else {
        assertThat(n.costUsd()).as(n.label()).isEqualByComparingTo(t.costUsd());
      }
      assertThat(n.totalCostUsd()).as(n.label()).isEqualByComparingTo(t.totalCostUsd());
      assertThat(n.durationNanos()).isEqualTo(t.span().durationNanos());
      stack.addAll(t.children());
    }
    DecisionNode root = tree.nodes().get(0);
    assertThat(root.totalCostUsd()).isEqualByComparingTo(rollup.summary().costUsd());
    assertThat(root.totalUsage().outputTokens()).isEqualTo(rollup.summary().usage().outputTokens());
  }

  /** OpenLIT has no tool span: the model's choice is on the model span, and no edge dangles. */
  @org.junit.jupiter.api.Test
  void openLit_choiceOnTheModelSpan_noToolExecutionToPointTo() {
    DecisionTree tree = Fixtures.tree("openlit/01-chat-tools-embed.json");

    assertThat(tree.nodes()).hasSize(1);
    assertThat(tree.nodes().get(0).detail().chosenTools())
        .containsExactly(
            new ToolChoice("call_weather_0001", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(tree.edges()).isEmpty();
  }

  static List<AgentSpan> largestTrace(String fixture) {
    return Fixtures.spans(fixture).stream()
        .collect(Collectors.groupingBy(AgentSpan::traceId))
        .values()
        .stream()
        .max(Comparator.comparingInt(List::size))
        .orElseThrow();
  }

  /** Every edge joins two nodes of the tree; every parent exists; calls edges match parents. */
  static void assertWellFormed(DecisionTree tree) {
    Map<String, DecisionNode> byId =
        tree.nodes().stream().collect(Collectors.toMap(DecisionNode::id, n -> n));
    assertThat(byId).hasSameSizeAs(tree.nodes());
    for (int i = 0; i < tree.nodes().size(); i++) {
      DecisionNode n = tree.nodes().get(i);
      assertThat(n.seq()).isEqualTo(i);
      if (!n.isRoot()) {
        assertThat(byId.get(n.parentId())).as("parent of %s", n.id()).isNotNull();
        assertThat(byId.get(n.parentId()).seq()).isLessThan(n.seq());
        assertThat(tree.edges()).contains(new DecisionEdge(n.parentId(), n.id(), EdgeKind.CALLS));
      }
      if (!n.runId().isEmpty()) {
        assertThat(byId.get(n.runId()).kind()).isEqualTo(NodeKind.AGENT);
      }
    }
    assertThat(tree.edges())
        .allSatisfy(
            e -> {
              assertThat(byId).containsKey(e.source());
              assertThat(byId).containsKey(e.target());
            });
  }
}
