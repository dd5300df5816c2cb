package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.EdgeKind;
import io.agentledger.core.decision.NodeKind;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A chain recorded with this library — a decision, two hand-offs, a model that chooses a tool, a
 * failed tool call retried, a human approval — exported as OTLP, normalized, and turned into its
 * decision tree.
 */
class DecisionTreeOfInstrumentedChainTest {

  @Test
  void decisionHandoffsApprovalChoiceAndRetry_appearAsNodesAndTypedEdges() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    List<io.opentelemetry.sdk.trace.data.SpanData> finished;
    try (AgentLedger ledger =
        AgentLedger.builder().tracerProvider(provider).captureContent(true).build()) {
      try (AgentRun planner = ledger.agent("planner").start()) {
        try (ModelCall call = planner.modelCall("openai", "gpt-4o-mini")) {
          call.usage(1_000, 100).finishReasons("stop");
        }
        planner.decision("route", List.of("research", "answer"), "research", "needs sources", 0.8);
        try (AgentRun researcher = planner.handoff("researcher")) {
          try (ModelCall call = researcher.modelCall("anthropic", "claude-sonnet-4-5")) {
            call.usage(3_000, 400)
                .finishReasons("tool_use")
                .outputMessages(
                    "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":"
                        + "\"call_01\",\"name\":\"web_search\",\"arguments\":{\"q\":\"refunds\"}}]}]");
          }
          try (ToolCall tool = researcher.tool("web_search")) {
            tool.callId("call_01").arguments("{\"q\":\"refunds\"}").fail(new IOException("503"));
          }
          try (ToolCall tool = researcher.tool("web_search")) {
            tool.callId("call_01").arguments("{\"q\":\"refunds\"}").result("{\"hits\":3}");
          }
          try (AgentRun writer = researcher.handoff("writer")) {
            try (Approval approval = writer.requestApproval("publish_reply")) {
              approval.approve("alice@example.com");
            }
          }
        }
      }
      finished = exporter.getFinishedSpanItems(); // closing the ledger clears the exporter
    }
    List<AgentSpan> spans =
        CrewAssertions.normalize(List.of(OtlpSpanEncoder.request(finished).toByteArray()), "acme");

    DecisionTree tree = DecisionTree.of(ChainRollup.compute(spans));

    assertThat(outline(tree))
        .isEqualTo(
            """
            agent:planner
              llm:gpt-4o-mini
              decision:route
              handoff:planner → researcher
              agent:researcher
                llm:claude-sonnet-4-5
                tool:web_search
                  error:java.io.IOException
                tool:web_search
                handoff:researcher → writer
                agent:writer
                  approval:publish_reply
            """);
    Map<String, DecisionNode> byId = new HashMap<>();
    tree.nodes().forEach(n -> byId.put(n.id(), n));
    assertThat(
            tree.edges().stream()
                .filter(e -> e.kind() != EdgeKind.CALLS && e.kind() != EdgeKind.NEXT)
                .map(
                    e ->
                        name(byId.get(e.source()))
                            + " -"
                            + e.kind().wireName()
                            + "-> "
                            + name(byId.get(e.target()))
                            + (e.kind() == EdgeKind.RETRY || e.kind() == EdgeKind.CHOSE
                                ? " #" + byId.get(e.target()).attempt()
                                : ""))
                .toList())
        .containsExactlyInAnyOrder(
            "agent:planner -handoff-> agent:researcher",
            "llm:claude-sonnet-4-5 -chose-> tool:web_search #1",
            "tool:web_search -retry-> tool:web_search #2",
            "agent:researcher -handoff-> agent:writer");

    DecisionNode decision = node(tree, NodeKind.DECISION);
    assertThat(decision.detail().options()).containsExactly("research", "answer");
    assertThat(decision.detail().choice()).isEqualTo("research");
    assertThat(decision.detail().reason()).isEqualTo("needs sources");
    assertThat(decision.detail().score()).isEqualTo(0.8);
    DecisionNode approval = node(tree, NodeKind.APPROVAL);
    assertThat(approval.detail().outcome()).isEqualTo("approved");
    assertThat(approval.detail().by()).isEqualTo("alice@example.com");
    assertThat(approval.detail().waitMs()).isNotNull().isGreaterThanOrEqualTo(0L);
    assertThat(approval.agent()).isEqualTo("writer");
    DecisionNode choice = node(tree, NodeKind.LLM, "claude-sonnet-4-5");
    assertThat(choice.detail().finishReason()).isEqualTo("tool_use");
    assertThat(choice.detail().chosenTools().get(0).arguments()).isEqualTo("{\"q\":\"refunds\"}");
    DecisionNode tool = node(tree, NodeKind.TOOL);
    assertThat(tool.status()).isEqualTo("error");
    assertThat(tool.detail().arguments()).isEqualTo("{\"q\":\"refunds\"}");
    DecisionNode root = tree.nodes().get(0);
    assertThat(root.totalUsage().inputTokens()).isEqualTo(4_000);
    assertThat(tree.runNodes(root.id()))
        .extracting(DecisionNode::kind)
        .containsExactly(NodeKind.AGENT, NodeKind.LLM, NodeKind.DECISION, NodeKind.HANDOFF);
  }

  private static DecisionNode node(DecisionTree tree, NodeKind kind) {
    return tree.nodes().stream().filter(n -> n.kind() == kind).findFirst().orElseThrow();
  }

  private static DecisionNode node(DecisionTree tree, NodeKind kind, String label) {
    return tree.nodes().stream()
        .filter(n -> n.kind() == kind && n.label().equals(label))
        .findFirst()
        .orElseThrow();
  }

  private static String name(DecisionNode n) {
    return n.kind().wireName() + ":" + n.label();
  }

  private static String outline(DecisionTree tree) {
    Map<String, Integer> depth = new HashMap<>();
    StringBuilder out = new StringBuilder();
    for (DecisionNode n : tree.nodes()) {
      int d = n.parentId().isEmpty() ? 0 : depth.get(n.parentId()) + 1;
      depth.put(n.id(), d);
      out.append("  ".repeat(d)).append(n.kind().wireName()).append(':').append(n.label());
      out.append('\n');
    }
    return out.toString();
  }
}
