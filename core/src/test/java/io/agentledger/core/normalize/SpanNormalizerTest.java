package io.agentledger.core.normalize;

import static io.agentledger.core.testing.OtlpSpans.request;
import static io.agentledger.core.testing.OtlpSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.StatusCode;
import io.agentledger.core.span.Usage;
import io.agentledger.core.testing.OtlpSpans;
import io.agentledger.core.testing.TestCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conventions built from their documented keys (see shared/reference/CONVENTIONS.md); the fixture
 * test covers what real instrumentations emit.
 */
class SpanNormalizerTest {

  private static final String A = "00000000000000a1";
  private static final String B = "00000000000000b2";
  private static final String C = "00000000000000c3";

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()), 1024);

  private AgentSpan one(Map<String, ?> attributes) {
    return one("span", attributes);
  }

  private AgentSpan one(String name, Map<String, ?> attributes) {
    NormalizedBatch batch = normalizer.normalize(request(span(A, null, name, attributes)), null);
    assertThat(batch.spans()).hasSize(1);
    return batch.spans().get(0);
  }

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(Cost.SCALE);
  }

  @Test
  void otelGenAiBefore137_systemAndPromptTokens() {
    AgentSpan s =
        one(
            "chat gpt-4o",
            Map.of(
                "gen_ai.system", "az.ai.openai",
                "gen_ai.operation.name", "chat",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.usage.prompt_tokens", 1000L,
                "gen_ai.usage.completion_tokens", 100L));

    assertThat(s.type()).isEqualTo(SpanType.LLM);
    assertThat(s.semantics().provider()).isEqualTo("azure.ai.openai");
    assertThat(s.usage()).isEqualTo(Usage.of(1000, 100));
    assertThat(s.billingRole()).isEqualTo(BillingRole.BILLABLE);
    // The test catalog has no Azure entry: OpenAI's price is another host's, so unknown.
    assertThat(s.cost().source()).isEqualTo(CostSource.UNKNOWN);
    assertThat(s.cost().detail()).contains("no azure.ai.openai price for 'gpt-4o'");
  }

  @Test
  void otelGenAi137to141_cacheCreationAndReasoning() {
    AgentSpan s =
        one(
            Map.of(
                "gen_ai.operation.name",
                "chat",
                "gen_ai.provider.name",
                "anthropic",
                "gen_ai.request.model",
                "claude-sonnet-4-5",
                "gen_ai.response.model",
                "claude-sonnet-4-5-20250929",
                "gen_ai.usage.input_tokens",
                2600L,
                "gen_ai.usage.output_tokens",
                200L,
                "gen_ai.usage.cache_read.input_tokens",
                2000L,
                "gen_ai.usage.cache_creation.input_tokens",
                500L,
                "gen_ai.response.finish_reasons",
                List.of("stop")));

    assertThat(s.usage()).isEqualTo(Usage.of(2600, 200, 2000, 500, 0));
    assertThat(s.semantics().responseModel()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(s.semantics().finishReasons()).containsExactly("stop");
    assertThat(s.cost().amountUsd()).isEqualTo(usd("0.005775"));
  }

  @Test
  void otelGenAi2026_cacheWrite() {
    AgentSpan s =
        one(
            Map.of(
                "gen_ai.operation.name", "chat",
                "gen_ai.provider.name", "anthropic",
                "gen_ai.request.model", "claude-sonnet-4-5",
                "gen_ai.usage.input_tokens", 2600L,
                "gen_ai.usage.output_tokens", 200L,
                "gen_ai.usage.cache_read.input_tokens", 2000L,
                "gen_ai.usage.cache_write.input_tokens", 500L));

    assertThat(s.usage().cacheWriteTokens()).isEqualTo(500);
    assertThat(s.cost().amountUsd()).isEqualTo(usd("0.005775"));
  }

  @Test
  void anthropicCacheExclusiveInput_isNotSubtractedTwice() {
    // Raw Anthropic numbers: input 100 excludes the 2000 read and 500 written.
    AgentSpan heuristic =
        one(
            Map.of(
                "gen_ai.operation.name", "chat",
                "gen_ai.provider.name", "anthropic",
                "gen_ai.request.model", "claude-sonnet-4-5",
                "gen_ai.usage.input_tokens", 100L,
                "gen_ai.usage.output_tokens", 200L,
                "gen_ai.usage.cache_read.input_tokens", 2000L,
                "gen_ai.usage.cache_creation.input_tokens", 500L));
    assertThat(heuristic.usage()).isEqualTo(Usage.of(2600, 200, 2000, 500, 0));
    assertThat(heuristic.cost().amountUsd()).isEqualTo(usd("0.005775"));

    // OpenLIT is known to send the exclusive count even when it is larger than the cache reads.
    AgentSpan openLit =
        one(
            Map.of(
                "telemetry.sdk.name", "openlit",
                "gen_ai.operation.name", "chat",
                "gen_ai.provider.name", "anthropic",
                "gen_ai.request.model", "claude-sonnet-4-5",
                "gen_ai.usage.input_tokens", 3000L,
                "gen_ai.usage.output_tokens", 200L,
                "gen_ai.usage.cache_read.input_tokens", 2000L));
    assertThat(openLit.usage().inputTokens()).isEqualTo(5000);
    assertThat(openLit.usage().uncachedInputTokens()).isEqualTo(3000);
  }

  @Test
  void openInference_llmSpan_withReportedCost() {
    AgentSpan s =
        one(
            "ChatCompletion",
            Map.of(
                "openinference.span.kind", "LLM",
                "llm.system", "openai",
                "llm.provider", "azure",
                "llm.model_name", "gpt-4o-2024-08-06",
                "llm.token_count.prompt", 1500L,
                "llm.token_count.completion", 320L,
                "llm.token_count.prompt_details.cache_read", 1024L,
                "llm.cost.total", 0.0123,
                "session.id", "sess-oi",
                "user.id", "u-oi"));

    assertThat(s.type()).isEqualTo(SpanType.LLM);
    assertThat(s.semantics().provider()).isEqualTo("azure.ai.openai");
    assertThat(s.usage()).isEqualTo(Usage.of(1500, 320, 1024, 0, 0));
    assertThat(s.cost().source()).isEqualTo(CostSource.REPORTED);
    assertThat(s.cost().amountUsd()).isEqualTo(usd("0.0123"));
    assertThat(s.semantics().sessionId()).isEqualTo("sess-oi");
    assertThat(s.semantics().userId()).isEqualTo("u-oi");
  }

  @Test
  void openInference_agentAndToolSpans() {
    assertThat(one(Map.of("openinference.span.kind", "AGENT", "agent.name", "planner")))
        .satisfies(
            s -> {
              assertThat(s.type()).isEqualTo(SpanType.AGENT);
              assertThat(s.semantics().agentName()).isEqualTo("planner");
            });
    assertThat(one(Map.of("openinference.span.kind", "TOOL", "tool.name", "search")))
        .satisfies(s -> assertThat(s.semantics().toolName()).isEqualTo("search"));
  }

  @Test
  void openLlmetry_decoratorSpansAndOldLlmSpans() {
    AgentSpan agent =
        one(
            "planner.agent",
            Map.of(
                "traceloop.span.kind", "agent",
                "traceloop.entity.name", "planner",
                "traceloop.association.properties.session_id", "s-tl",
                "traceloop.association.properties.user_id", "u-tl"));
    assertThat(agent.type()).isEqualTo(SpanType.AGENT);
    assertThat(agent.semantics().agentName()).isEqualTo("planner");
    assertThat(agent.semantics().sessionId()).isEqualTo("s-tl");
    assertThat(agent.semantics().userId()).isEqualTo("u-tl");

    AgentSpan tool =
        one(
            "search.tool",
            Map.of("traceloop.span.kind", "tool", "traceloop.entity.name", "search"));
    assertThat(tool.type()).isEqualTo(SpanType.TOOL);
    assertThat(tool.semantics().toolName()).isEqualTo("search");

    AgentSpan old =
        one(
            "openai.chat",
            Map.of(
                "llm.request.type", "chat",
                "gen_ai.system", "OpenAI",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.usage.prompt_tokens", 10L,
                "gen_ai.usage.completion_tokens", 5L));
    assertThat(old.type()).isEqualTo(SpanType.LLM);
    assertThat(old.semantics().provider()).isEqualTo("openai");
  }

  @Test
  void vercelLegacy_outerSpanIsARollup_doGenerateIsTheCall() {
    Map<String, Object> common =
        Map.of(
            "ai.model.id", "gpt-4o",
            "ai.model.provider", "openai.chat",
            "ai.telemetry.functionId", "research-agent",
            "ai.telemetry.metadata.sessionId", "sess-v",
            "ai.telemetry.metadata.userId", "u-v",
            "ai.usage.promptTokens", 1000L,
            "ai.usage.completionTokens", 100L);
    Span.Builder outer =
        span(A, null, "ai.generateText", with(common, "ai.operationId", "ai.generateText"));
    Span.Builder inner =
        span(
            B,
            A,
            "ai.generateText.doGenerate",
            with(common, "ai.operationId", "ai.generateText.doGenerate"));
    Span.Builder tool =
        span(
            C,
            A,
            "ai.toolCall",
            Map.of(
                "ai.operationId", "ai.toolCall",
                "ai.toolCall.name", "get_weather",
                "ai.toolCall.id", "call_1"));

    List<AgentSpan> spans = normalizer.normalize(request(outer, inner, tool), null).spans();

    assertThat(spans.get(0).type()).isEqualTo(SpanType.AGENT); // the agent loop functionId names
    assertThat(spans.get(0).billingRole()).isEqualTo(BillingRole.ROLLUP);
    assertThat(spans.get(1).type()).isEqualTo(SpanType.LLM);
    assertThat(spans.get(1).billingRole()).isEqualTo(BillingRole.BILLABLE);
    assertThat(spans.get(1).semantics().provider()).isEqualTo("openai");
    assertThat(spans.get(1).semantics().agentName()).isEqualTo("research-agent");
    assertThat(spans.get(1).semantics().sessionId()).isEqualTo("sess-v");
    assertThat(spans.get(1).semantics().userId()).isEqualTo("u-v");
    assertThat(spans.get(2).type()).isEqualTo(SpanType.TOOL);
    assertThat(spans.get(2).semantics().toolName()).isEqualTo("get_weather");
    assertThat(spans.get(2).semantics().toolCallId()).isEqualTo("call_1");
  }

  @Test
  void vercelV7_invokeAgentAndAgentStepAreRollups() {
    AgentSpan agent =
        one(
            "invoke_agent gpt-4o",
            Map.of(
                "gen_ai.operation.name",
                "invoke_agent",
                "gen_ai.agent.name",
                "research-agent",
                "gen_ai.usage.input_tokens",
                1000L,
                "gen_ai.usage.output_tokens",
                100L));
    assertThat(agent.type()).isEqualTo(SpanType.AGENT);
    assertThat(agent.billingRole()).isEqualTo(BillingRole.ROLLUP);
    assertThat(agent.semantics().agentName()).isEqualTo("research-agent");

    AgentSpan step =
        one(
            "step 1",
            Map.of("gen_ai.operation.name", "agent_step", "gen_ai.usage.input_tokens", 10L));
    assertThat(step.type()).isEqualTo(SpanType.CHAIN);
    assertThat(step.billingRole()).isEqualTo(BillingRole.ROLLUP);
  }

  @Test
  void langfuse_disjointUsageDetailsAndReportedCost() {
    AgentSpan s =
        one(
            "summarize",
            Map.of(
                "langfuse.observation.type", "generation",
                "langfuse.observation.model.name", "gpt-4o",
                "langfuse.observation.usage_details",
                    "{\"input\":100,\"output\":50,\"input_cached_tokens\":200,\"output_reasoning_tokens\":10}",
                "langfuse.observation.cost_details",
                    "{\"input\":0.001,\"output\":0.0005,\"total\":0.0015}",
                "langfuse.session.id", "sess-lf",
                "langfuse.user.id", "u-lf"));

    assertThat(s.type()).isEqualTo(SpanType.LLM);
    assertThat(s.usage()).isEqualTo(Usage.of(300, 60, 200, 0, 10));
    assertThat(s.cost().source()).isEqualTo(CostSource.REPORTED);
    assertThat(s.cost().amountUsd()).isEqualTo(usd("0.0015"));
    assertThat(s.semantics().sessionId()).isEqualTo("sess-lf");
    assertThat(s.semantics().userId()).isEqualTo("u-lf");
  }

  @Test
  void pydanticAi_operationCostAndDetails() {
    AgentSpan s =
        one(
            "chat gpt-4o",
            Map.of(
                "gen_ai.operation.name", "chat",
                "gen_ai.provider.name", "openai",
                "gen_ai.system", "openai",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.usage.input_tokens", 1500L,
                "gen_ai.usage.output_tokens", 320L,
                "gen_ai.usage.details.cache_read_tokens", 1024L,
                "operation.cost", 0.00567,
                "gen_ai.conversation.id", "conv-pd"));

    assertThat(s.usage()).isEqualTo(Usage.of(1500, 320, 1024, 0, 0));
    assertThat(s.cost().source()).isEqualTo(CostSource.REPORTED);
    assertThat(s.semantics().sessionId()).isEqualTo("conv-pd");
  }

  @Test
  void invalidTokenCounts_areIgnoredWithAWarning_andTheCostIsUnknown() {
    for (Object bad : List.of(-5L, Double.NaN, "lots", 1.5, 5_000_000_000_000L)) {
      NormalizedBatch batch =
          normalizer.normalize(
              request(
                  span(
                      A,
                      null,
                      "chat",
                      Map.of(
                          "gen_ai.operation.name",
                          "chat",
                          "gen_ai.request.model",
                          "gpt-4o",
                          "gen_ai.usage.input_tokens",
                          bad,
                          "gen_ai.usage.output_tokens",
                          10L))),
              null);

      assertThat(batch.rejectedSpans()).as("%s", bad).isZero();
      AgentSpan s = batch.spans().get(0);
      assertThat(s.usage()).as("%s", bad).isEqualTo(Usage.NONE);
      assertThat(s.cost().source()).as("%s", bad).isEqualTo(CostSource.UNKNOWN);
      assertThat(s.cost().detail()).contains("gen_ai.usage.input_tokens");
      assertThat(batch.warnings()).singleElement().asString().contains("invalid usage");
    }
  }

  @Test
  void invalidSpans_areRejectedWithReasons_validOnesKept() {
    Span.Builder good = span(A, null, "good", Map.of());
    Span.Builder shortTrace =
        span(B, null, "short-trace", Map.of())
            .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[12]));
    Span.Builder zeroSpan =
        span(C, null, "zero-span", Map.of())
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]));
    Span.Builder backwards =
        span("00000000000000d4", null, "backwards", Map.of())
            .setEndTimeUnixNano(OtlpSpans.START - 1);
    Span.Builder selfParent = span("00000000000000e5", "00000000000000e5", "loop", Map.of());
    Span.Builder noStart =
        span("00000000000000f6", null, "no-start", Map.of()).setStartTimeUnixNano(0);

    NormalizedBatch batch =
        normalizer.normalize(
            request(good, shortTrace, zeroSpan, backwards, selfParent, noStart), null);

    assertThat(batch.spans()).extracting(AgentSpan::name).containsExactly("good");
    assertThat(batch.rejectedSpans()).isEqualTo(5);
    assertThat(batch.errors())
        .anySatisfy(e -> assertThat(e).contains("short-trace").contains("12 bytes, want 16"))
        .anySatisfy(e -> assertThat(e).contains("zero-span").contains("all zero"))
        .anySatisfy(e -> assertThat(e).contains("before startTimeUnixNano"))
        .anySatisfy(e -> assertThat(e).contains("own parent"))
        .anySatisfy(e -> assertThat(e).contains("startTimeUnixNano missing"));
    assertThat(batch.message()).contains("short-trace");
  }

  @Test
  void missingUsage_withText_isEstimated() {
    AgentSpan s =
        one(
            Map.of(
                "gen_ai.operation.name", "chat",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.input.messages",
                    "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello, world!\"}]}]"));

    assertThat(s.cost().source()).isEqualTo(CostSource.ESTIMATED);
    assertThat(s.usage().inputTokens()).isEqualTo(4); // o200k: "Hello" "," " world" "!"
    assertThat(s.billingRole()).isEqualTo(BillingRole.BILLABLE);
  }

  @Test
  void project_comesFromTheCallerElseTheResourceElseDefault() {
    ExportTraceServiceRequest fromResource =
        request(Map.of("agentledger.project", "team-a"), "s", span(A, null, "x", Map.of()));
    assertThat(normalizer.normalize(fromResource, null).spans().get(0).project())
        .isEqualTo("team-a");
    assertThat(normalizer.normalize(fromResource, "team-b").spans().get(0).project())
        .isEqualTo("team-b");
    assertThat(
            normalizer
                .normalize(request(span(A, null, "x", Map.of())), null)
                .spans()
                .get(0)
                .project())
        .isEqualTo("default");
  }

  @Test
  void hugeAttributes_areTruncatedWithAWarning() {
    NormalizedBatch batch =
        normalizer.normalize(
            request(span(A, null, "x", Map.of("input.value", "x".repeat(5000)))), null);

    assertThat(batch.spans().get(0).attributes().get("input.value"))
        .startsWith("x".repeat(1024))
        .contains("truncated 3976 chars");
    assertThat(batch.warnings()).singleElement().asString().contains("input.value");
  }

  @Test
  void errorStatus_andErrorType() {
    AgentSpan s =
        normalizer
            .normalize(
                request(
                    span(A, null, "x", Map.of("error.type", "timeout"))
                        .setStatus(
                            io.opentelemetry.proto.trace.v1.Status.newBuilder()
                                .setCode(
                                    io.opentelemetry.proto.trace.v1.Status.StatusCode
                                        .STATUS_CODE_ERROR)
                                .setMessage("took too long"))),
                null)
            .spans()
            .get(0);

    assertThat(s.status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(s.status().message()).isEqualTo("took too long");
    assertThat(s.status().errorType()).isEqualTo("timeout");
  }

  @Test
  void attributesAreKeptAsStrings() {
    AgentSpan s =
        one(
            Map.of(
                "a.int",
                42L,
                "a.double",
                1200.0,
                "a.frac",
                0.25,
                "a.bool",
                true,
                "a.list",
                List.of("x", "y")));

    assertThat(s.attributes())
        .containsEntry("a.int", "42")
        .containsEntry("a.double", "1200")
        .containsEntry("a.frac", "0.25")
        .containsEntry("a.bool", "true")
        .containsEntry("a.list", "[\"x\",\"y\"]");
    assertThat(s.serviceName()).isEqualTo("test-service");
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> out = new java.util.HashMap<>(base);
    out.put(key, value);
    return out;
  }
}
