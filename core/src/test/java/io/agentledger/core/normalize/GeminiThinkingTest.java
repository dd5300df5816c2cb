package io.agentledger.core.normalize;

import static io.agentledger.core.testing.OtlpSpans.request;
import static io.agentledger.core.testing.OtlpSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.Usage;
import io.agentledger.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gemini reports thinking apart from the answer ({@code thoughtsTokenCount} beside {@code
 * candidatesTokenCount}); conventions that copy the two apart must not lose the thoughts, which
 * Google bills as output. Test catalog: gemini-2.5-flash at 0.30 / 2.50, cache read 0.03.
 */
class GeminiThinkingTest {

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()), 4096);

  private AgentSpan one(Map<String, ?> attributes) {
    return normalizer
        .normalize(request(span("00000000000000a1", null, "generate_content", attributes)), null)
        .spans()
        .get(0);
  }

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(Cost.SCALE);
  }

  @Test
  void openInference_thoughtsBesideCandidates_areBilledAsOutput() {
    AgentSpan s =
        one(
            Map.of(
                "openinference.span.kind",
                "LLM",
                "llm.provider",
                "google",
                "llm.model_name",
                "gemini-2.5-flash",
                "llm.token_count.prompt",
                1000L,
                "llm.token_count.completion",
                200L,
                "llm.token_count.completion_details.reasoning",
                100L));

    assertThat(s.usage()).isEqualTo(Usage.of(1000, 300, 0, 0, 100));
    // 1000 × 0.30 + 300 × 2.50 = 1050 per million
    assertThat(s.cost().amountUsd()).isEqualTo(usd("0.00105"));
  }

  @Test
  void openLit_thoughtsBesideCandidates_areBilledAsOutput() {
    AgentSpan s =
        one(
            Map.of(
                "gen_ai.operation.name",
                "chat",
                "gen_ai.system",
                "gemini",
                "gen_ai.request.model",
                "gemini-2.5-flash",
                "gen_ai.usage.input_tokens",
                1000L,
                "gen_ai.usage.output_tokens",
                200L,
                "gen_ai.usage.reasoning_tokens",
                100L));

    assertThat(s.usage().outputTokens()).isEqualTo(300);
    assertThat(s.usage().reasoningTokens()).isEqualTo(100);
  }

  @Test
  void adkResponse_thoughtsAndCachedContent_areRead() {
    AgentSpan s =
        one(
            Map.of(
                "gen_ai.system",
                "gcp.vertex.agent",
                "gen_ai.request.model",
                "gemini-2.5-flash",
                "gen_ai.usage.input_tokens",
                1000L,
                "gen_ai.usage.output_tokens",
                200L,
                "gcp.vertex.agent.llm_response",
                "{\"usage_metadata\":{\"prompt_token_count\":1000,\"candidates_token_count\":200,"
                    + "\"thoughts_token_count\":100,\"cached_content_token_count\":600}}"));

    assertThat(s.usage()).isEqualTo(Usage.of(1000, 300, 600, 0, 100));
    // 400 × 0.30 + 600 × 0.03 + 300 × 2.50 = 120 + 18 + 750 = 888 per million
    assertThat(s.cost().amountUsd()).isEqualTo(usd("0.000888"));
  }

  @Test
  void vercelGoogleMetadata_thoughtsAndCachedContent_areRead() {
    AgentSpan s =
        one(
            Map.of(
                "ai.operationId",
                "ai.generateText.doGenerate",
                "ai.model.provider",
                "google.generative-ai",
                "ai.model.id",
                "gemini-2.5-flash",
                "ai.usage.inputTokens",
                1000L,
                "ai.usage.outputTokens",
                200L,
                "ai.response.providerMetadata",
                "{\"google\":{\"usageMetadata\":{\"thoughtsTokenCount\":100,"
                    + "\"cachedContentTokenCount\":600,\"candidatesTokenCount\":200}}}"));

    assertThat(s.usage()).isEqualTo(Usage.of(1000, 300, 600, 0, 100));
  }

  @Test
  void openAiReasoning_staysInsideOutput() {
    AgentSpan s =
        one(
            Map.of(
                "openinference.span.kind",
                "LLM",
                "llm.provider",
                "openai",
                "llm.model_name",
                "o3",
                "llm.token_count.prompt",
                1000L,
                "llm.token_count.completion",
                3000L,
                "llm.token_count.completion_details.reasoning",
                2500L));

    assertThat(s.usage().outputTokens()).isEqualTo(3000);
  }
}
