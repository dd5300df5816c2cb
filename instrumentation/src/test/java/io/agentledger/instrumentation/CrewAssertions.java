package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What core must read from the crew's spans, however they were exported. */
final class CrewAssertions {

  private CrewAssertions() {}

  /** Decodes and normalizes OTLP protobuf payloads as the collector does. */
  static List<AgentSpan> normalize(List<byte[]> payloads, String project) {
    SpanNormalizer normalizer = new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()));
    List<AgentSpan> spans = new ArrayList<>();
    for (byte[] p : payloads) {
      NormalizedBatch b =
          normalizer.normalize(OtlpTraceDecoder.decode(p, OtlpFormat.PROTOBUF), project);
      assertThat(b.rejectedSpans()).isZero();
      assertThat(b.warnings()).isEmpty();
      spans.addAll(b.spans());
    }
    return spans;
  }

  static void assertCrew(List<AgentSpan> spans, String traceId, boolean contentCaptured) {
    assertThat(spans).hasSize(9).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(traceId));
    Map<String, AgentSpan> byName =
        spans.stream().collect(Collectors.toMap(AgentSpan::name, s -> s));
    assertThat(byName)
        .containsOnlyKeys(
            "invoke_agent planner",
            "chat gpt-4o-mini",
            "invoke_agent researcher",
            "retrieval kb-docs",
            "execute_tool web_search",
            "chat claude-sonnet-4-5",
            "invoke_agent writer",
            "chat gpt-4o",
            "approval publish_reply");

    AgentSpan planner = byName.get("invoke_agent planner");
    assertThat(planner.semantics().type()).isEqualTo(SpanType.AGENT);
    assertThat(planner.semantics().agentName()).isEqualTo("planner");
    assertThat(planner.semantics().agentId()).isEqualTo("agt_planner");
    assertThat(planner.semantics().agentVersion()).isEqualTo("2.1");
    assertThat(planner.semantics().sessionId()).isEqualTo(ThreeAgentCrew.SESSION);
    assertThat(planner.semantics().userId()).isEqualTo("u-9");
    assertThat(planner.parentSpanId()).isEmpty();
    assertThat(planner.events())
        .anySatisfy(
            e -> {
              assertThat(e.name()).isEqualTo("agentledger.decision");
              assertThat(e.attributes())
                  .containsEntry("agentledger.decision.name", "route")
                  .containsEntry("agentledger.decision.chosen", "research")
                  .containsEntry("agentledger.decision.reason", "the question needs sources")
                  .containsEntry("agentledger.decision.score", "0.82");
              assertThat(e.attributes().get("agentledger.decision.options"))
                  .contains("research")
                  .contains("write_directly");
            })
        .anySatisfy(
            e -> {
              assertThat(e.name()).isEqualTo("agentledger.handoff");
              assertThat(e.attributes()).containsEntry("agentledger.handoff.to", "researcher");
            });

    AgentSpan mini = byName.get("chat gpt-4o-mini");
    assertThat(mini.semantics().type()).isEqualTo(SpanType.LLM);
    assertThat(mini.semantics().provider()).isEqualTo("openai");
    assertThat(mini.semantics().requestModel()).isEqualTo("gpt-4o-mini");
    assertThat(mini.semantics().finishReasons()).containsExactly("stop");
    assertThat(mini.semantics().sessionId()).isEqualTo(ThreeAgentCrew.SESSION);
    assertThat(mini.usage().inputTokens()).isEqualTo(1_000);
    assertThat(mini.usage().cacheReadTokens()).isEqualTo(200);
    assertThat(mini.usage().outputTokens()).isEqualTo(100);
    assertThat(mini.parentSpanId()).isEqualTo(planner.spanId());
    assertThat(mini.attributes()).containsEntry("gen_ai.request.temperature", "0.1");
    if (contentCaptured) {
      assertThat(mini.attributes()).containsKey("gen_ai.input.messages");
    } else {
      assertThat(mini.attributes()).doesNotContainKey("gen_ai.input.messages");
    }

    AgentSpan researcher = byName.get("invoke_agent researcher");
    assertThat(researcher.parentSpanId()).isEqualTo(planner.spanId());
    assertThat(researcher.semantics().sessionId()).isEqualTo(ThreeAgentCrew.SESSION);
    AgentSpan tool = byName.get("execute_tool web_search");
    assertThat(tool.semantics().type()).isEqualTo(SpanType.TOOL);
    assertThat(tool.semantics().toolName()).isEqualTo("web_search");
    assertThat(tool.semantics().toolCallId()).isEqualTo("call_01");
    assertThat(tool.parentSpanId()).isEqualTo(researcher.spanId());
    assertThat(tool.attributes().containsKey("gen_ai.tool.call.arguments"))
        .isEqualTo(contentCaptured);
    assertThat(byName.get("retrieval kb-docs").semantics().type()).isEqualTo(SpanType.RETRIEVAL);
    AgentSpan claude = byName.get("chat claude-sonnet-4-5");
    assertThat(claude.semantics().provider()).isEqualTo("anthropic");
    assertThat(claude.usage().cacheReadTokens()).isEqualTo(2_000);

    AgentSpan writer = byName.get("invoke_agent writer");
    assertThat(writer.parentSpanId()).isEqualTo(researcher.spanId());
    AgentSpan approval = byName.get("approval publish_reply");
    assertThat(approval.parentSpanId()).isEqualTo(writer.spanId());
    assertThat(approval.attributes())
        .containsEntry("agentledger.approval.status", "approved")
        .containsEntry("agentledger.approval.by", "alice@example.com")
        .containsKey("agentledger.approval.wait_ms");

    ChainRollupResult rollup = ChainRollup.compute(spans);
    assertThat(rollup.summary().costUsd()).isEqualByComparingTo(ThreeAgentCrew.TOTAL_USD);
    assertThat(rollup.summary().costComplete()).isTrue();
    assertThat(rollup.summary().llmCalls()).isEqualTo(3);
    assertThat(rollup.summary().toolCalls()).isEqualTo(1);
    Map<String, AgentCost> agents =
        rollup.byAgent().stream().collect(Collectors.toMap(AgentCost::agent, a -> a));
    assertThat(agents.get("planner").exclusiveCostUsd())
        .isEqualByComparingTo(ThreeAgentCrew.PLANNER_USD);
    assertThat(agents.get("planner").inclusiveCostUsd())
        .isEqualByComparingTo(ThreeAgentCrew.TOTAL_USD);
    assertThat(agents.get("researcher").exclusiveCostUsd())
        .isEqualByComparingTo(ThreeAgentCrew.RESEARCHER_USD);
    assertThat(agents.get("writer").exclusiveCostUsd())
        .isEqualByComparingTo(ThreeAgentCrew.WRITER_USD);
  }
}
