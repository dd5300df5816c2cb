package io.agentledger.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI Agents SDK and an MCP client/server pair, captured through their OpenInference
 * instrumentations (fixtures-capture/agents): hand-offs are agent edges, guardrails decisions, the
 * MCP tool names its server, and each model call is billed once to the agent that made it.
 *
 * <p>Prices (gpt-4o-mini-2024-07-18): $0.15/M input, $0.075/M cached input, $0.60/M output; the
 * Responses API's input includes the cached tokens.
 */
class AgentsSdkFixturesTest {

  private static final String AGENTS = "openai-agents/01-handoff-tool-guardrail.binpb";

  /** The fixture's traces, the longest first (the run that passed, then the blocked one). */
  private static List<List<AgentSpan>> traces(String... fixtures) {
    List<AgentSpan> spans = new ArrayList<>();
    for (String f : fixtures) {
      spans.addAll(Fixtures.spans(f));
    }
    return spans.stream().collect(Collectors.groupingBy(AgentSpan::traceId)).values().stream()
        .sorted(Comparator.comparingInt((List<AgentSpan> t) -> t.size()).reversed())
        .toList();
  }

  private static Map<String, AgentCost> byAgent(ChainRollupResult rollup) {
    return rollup.byAgent().stream().collect(Collectors.toMap(AgentCost::agent, a -> a));
  }

  @Test
  void handoff_isAnEdgeBetweenAgentRuns_andTheGuardrailADecision() {
    DecisionTree tree = DecisionTree.of(Fixtures.rollup(traces(AGENTS).get(0)));

    assertThat(Fixtures.outline(tree))
        .isEqualTo(
            """
            step:Agent workflow
              step:Agent workflow
                agent:triage
                  step:turn
                    llm:gpt-4o-mini-2024-07-18
                    handoff:triage → weather-specialist
                  decision:no-secrets
                agent:weather-specialist
                  step:turn
                    llm:gpt-4o-mini-2024-07-18
                    tool:get_weather
                  step:turn
                    llm:gpt-4o-mini-2024-07-18
            """);
    assertThat(Fixtures.typedEdges(tree))
        .containsExactly(
            "agent:triage -handoff-> agent:weather-specialist",
            "llm:gpt-4o-mini-2024-07-18 -chose-> tool:get_weather");
    DecisionNode handoff = node(tree, NodeKind.HANDOFF);
    assertThat(handoff.detail().from()).isEqualTo("triage");
    assertThat(handoff.detail().to()).isEqualTo("weather-specialist");
    DecisionNode guardrail = node(tree, NodeKind.DECISION);
    assertThat(guardrail.detail().options()).containsExactly("pass", "tripwire");
    assertThat(guardrail.detail().choice()).isEqualTo("pass");
  }

  @Test
  void eachModelCallIsBilledOnce_toTheAgentThatMadeIt() {
    ChainRollupResult rollup = Fixtures.rollup(traces(AGENTS).get(0));

    // triage: 388 × 0.15 + 512 × 0.075 + 40 × 0.60 = $0.0001206
    // specialist: (376 × 0.15 + 1024 × 0.075 + 60 × 0.60) + (420 × 0.15 + 1280 × 0.075 + 110 ×
    // 0.60) = 169.2 + 225 = $0.0003942 (per million tokens)
    Map<String, AgentCost> agents = byAgent(rollup);
    assertThat(agents).containsOnlyKeys("triage", "weather-specialist");
    assertThat(agents.get("triage").exclusiveCostUsd()).isEqualByComparingTo("0.0001206");
    assertThat(agents.get("triage").llmCalls()).isEqualTo(1);
    assertThat(agents.get("triage").toolCalls()).isZero(); // the hand-off is not a tool
    assertThat(agents.get("weather-specialist").exclusiveCostUsd())
        .isEqualByComparingTo("0.0003942");
    assertThat(agents.get("weather-specialist").llmCalls()).isEqualTo(2);
    assertThat(agents.get("weather-specialist").toolCalls()).isEqualTo(1);
    var summary = rollup.summary();
    assertThat(summary.costUsd()).isEqualByComparingTo("0.0005148");
    assertThat(summary.costComplete()).isTrue();
    assertThat(summary.llmCalls()).isEqualTo(3);
    assertThat(summary.toolCalls()).isEqualTo(1);
    assertThat(summary.agent()).isEqualTo("triage"); // not the SDK's trace span
    assertThat(summary.sessionId()).isEqualTo("sess-agents-1");
    assertThat(summary.usage().inputTokens()).isEqualTo(4000);
    assertThat(summary.usage().cacheReadTokens()).isEqualTo(2816);
  }

  @Test
  void trippedGuardrail_isADecisionToStop_andTheBlockedRunCostsNothing() {
    // The instrumentation never ends the SDK trace's span when a guardrail trips (it is missing
    // from the export): the chain's root is the orphaned workflow step.
    ChainRollupResult rollup = Fixtures.rollup(traces(AGENTS).get(1));
    DecisionTree tree = DecisionTree.of(rollup);

    DecisionNode guardrail = node(tree, NodeKind.DECISION);
    assertThat(guardrail.label()).isEqualTo("no-secrets");
    assertThat(guardrail.agent()).isEqualTo("triage");
    assertThat(guardrail.detail().choice()).isEqualTo("tripwire");
    assertThat(rollup.summary().llmCalls()).isZero();
    assertThat(rollup.summary().costUsd()).isEqualByComparingTo("0");
    assertThat(rollup.summary().costComplete()).isTrue();
    assertThat(rollup.summary().sessionId()).isEqualTo("sess-agents-1");
  }

  @Test
  void mcpToolCall_isOneToolNamingItsServer() {
    // Two exports, one trace: the client's (the agent, its tool span) and the MCP server's
    // (`tools/call get_forecast`, continued from the request's _meta).
    List<List<AgentSpan>> traces =
        traces("mcp/01-agent-mcp-tool.binpb", "mcp/02-agent-mcp-tool.binpb");
    assertThat(traces).hasSize(1);
    ChainRollupResult rollup = Fixtures.rollup(traces.get(0));
    DecisionTree tree = DecisionTree.of(rollup);

    DecisionNode tool = node(tree, NodeKind.TOOL);
    assertThat(tool.label()).isEqualTo("get_forecast");
    assertThat(tool.agent()).isEqualTo("forecaster");
    assertThat(tool.detail().server()).isEqualTo("weather-mcp");
    assertThat(tree.nodes()).filteredOn(n -> n.kind() == NodeKind.TOOL).hasSize(1);
    assertThat(Fixtures.typedEdges(tree))
        .containsExactly("llm:gpt-4o-mini-2024-07-18 -chose-> tool:get_forecast");
    // 1100 × 0.15 + 50 × 0.60 + (276 × 0.15 + 1024 × 0.075 + 90 × 0.60) = 195 + 172.2 per million
    assertThat(rollup.summary().costUsd()).isEqualByComparingTo("0.0003672");
    assertThat(rollup.summary().toolCalls()).isEqualTo(1); // not the server's span, not the listing
    assertThat(byAgent(rollup).get("forecaster").exclusiveCostUsd())
        .isEqualByComparingTo("0.0003672");
    assertThat(rollup.summary().sessionId()).isEqualTo("sess-mcp-1");

    DecisionJson.Row row =
        DecisionJson.rows(tree).stream()
            .filter(r -> r.node().kind() == NodeKind.TOOL)
            .findFirst()
            .orElseThrow();
    assertThat(DecisionJson.read(DecisionJson.write(row)).node().detail().server())
        .isEqualTo("weather-mcp"); // kept when stored
  }

  private static DecisionNode node(DecisionTree tree, NodeKind kind) {
    return tree.nodes().stream().filter(n -> n.kind() == kind).findFirst().orElseThrow();
  }
}
