package io.agentledger.core.normalize;

import static io.agentledger.core.testing.OtlpSpans.request;
import static io.agentledger.core.testing.OtlpSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.testing.TestCatalog;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The type rules for the OpenAI Agents SDK (through OpenInference) and MCP servers: they apply to
 * their emitters only, so the same keys elsewhere keep their meaning.
 */
class AgentsSdkConventionsTest {

  private static final String PARENT = "00000000000000a0";
  private static final String CHILD = "00000000000000a1";
  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()));

  private SpanType type(String scope, Span.Builder span) {
    return normalizer
        .normalize(request(Map.of("service.name", "svc"), scope, span), null)
        .spans()
        .get(0)
        .type();
  }

  @Test
  void agentsSdk_traceSpanIsAChain_agentRunsAreAgents() {
    String scope = Conventions.OPENAI_AGENTS_SCOPE;
    assertThat(
            type(
                scope,
                span(CHILD, null, "Agent workflow", Map.of("openinference.span.kind", "AGENT"))))
        .isEqualTo(SpanType.CHAIN);
    assertThat(
            type(
                scope,
                span(
                    CHILD,
                    null,
                    "triage",
                    Map.of("openinference.span.kind", "AGENT", "graph.node.id", "triage"))))
        .isEqualTo(SpanType.AGENT);
    // Another OpenInference emitter's agent without graph.node.id stays an agent.
    assertThat(
            type(
                "openinference.manual",
                span(CHILD, null, "research-agent", Map.of("openinference.span.kind", "AGENT"))))
        .isEqualTo(SpanType.AGENT);
  }

  @Test
  void agentsSdk_handoffAndToolListing_areNotToolExecutions() {
    String scope = Conventions.OPENAI_AGENTS_SCOPE;
    Map<String, String> handoff =
        Map.of("openinference.span.kind", "TOOL", "tool.name", "handoff_to_weather-specialist");
    assertThat(type(scope, span(CHILD, PARENT, "handoff to weather-specialist", handoff)))
        .isEqualTo(SpanType.OTHER);
    assertThat(
            type(
                scope, span(CHILD, PARENT, "mcp_tools", Map.of("openinference.span.kind", "TOOL"))))
        .isEqualTo(SpanType.OTHER);
    assertThat(
            type(
                scope,
                span(
                    CHILD,
                    PARENT,
                    "get_weather",
                    Map.of("openinference.span.kind", "TOOL", "tool.name", "get_weather"))))
        .isEqualTo(SpanType.TOOL);
  }

  @Test
  void mcpServerToolCall_isTheCallersToolOnlyWhenItHasNoCaller() {
    Map<String, String> mcp =
        Map.of(
            "mcp.method.name", "tools/call",
            "gen_ai.operation.name", "execute_tool",
            "gen_ai.tool.name", "get_forecast");
    Span.Builder underCaller =
        span(CHILD, PARENT, "tools/call get_forecast", mcp).setKind(Span.SpanKind.SPAN_KIND_SERVER);
    Span.Builder alone =
        span(CHILD, null, "tools/call get_forecast", mcp).setKind(Span.SpanKind.SPAN_KIND_SERVER);
    Span.Builder client =
        span(CHILD, PARENT, "tools/call get_forecast", mcp).setKind(Span.SpanKind.SPAN_KIND_CLIENT);

    assertThat(type("weather-mcp", underCaller)).isEqualTo(SpanType.OTHER);
    assertThat(type("weather-mcp", alone)).isEqualTo(SpanType.TOOL);
    assertThat(type("client", client)).isEqualTo(SpanType.TOOL);
  }
}
