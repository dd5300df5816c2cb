package io.agentledger.core.normalize;

import static io.agentledger.core.testing.OtlpSpans.request;
import static io.agentledger.core.testing.OtlpSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.Usage;
import io.agentledger.core.testing.TestCatalog;
import io.opentelemetry.proto.trace.v1.Span;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounds of docs/security.md ("Data bounds"): every value that reaches a store fits it. */
class DataBoundsTest {

  private static final String A = "00000000000000a1";

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()));

  private NormalizedBatch normalize(Span.Builder span) {
    return normalizer.normalize(request(span), "p");
  }

  private AgentSpan one(Map<String, ?> attributes) {
    NormalizedBatch batch = normalize(span(A, null, "chat", attributes));
    assertThat(batch.spans()).hasSize(1);
    return batch.spans().get(0);
  }

  private static Map<String, Object> llmCall(String reportedCost) {
    return Map.of(
        "openinference.span.kind",
        "LLM",
        "llm.model_name",
        "gpt-4o-2024-08-06",
        "llm.token_count.prompt",
        1000L,
        "llm.token_count.completion",
        100L,
        "llm.cost.total",
        reportedCost);
  }

  @Test
  void absurdReportedCost_isIgnoredAndTheSpanPricedFromItsUsage() {
    AgentSpan s = one(llmCall("1e30"));

    // 1000 × 2.5 + 100 × 10 = 3500 per million
    assertThat(s.cost().source()).isEqualTo(CostSource.COMPUTED);
    assertThat(s.cost().amountUsd()).isEqualTo(new BigDecimal("0.003500000000"));
  }

  @Test
  void vanishinglySmallReportedCost_isZeroAndFast() {
    long start = System.nanoTime();
    AgentSpan s = one(llmCall("1e-999999999"));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    // a reported 0 for non-zero usage of a priced model is a failed lookup: priced instead
    assertThat(s.cost().source()).isEqualTo(CostSource.COMPUTED);
    assertThat(s.cost().amountUsd()).isEqualTo(new BigDecimal("0.003500000000"));
  }

  @Test
  void absurdTokenCount_isIgnoredAndTheCostUnknown() {
    AgentSpan s =
        one(
            Map.of(
                "openinference.span.kind", "LLM",
                "llm.model_name", "gpt-4o",
                "llm.token_count.prompt", "1e20",
                "llm.token_count.completion", 100L));

    assertThat(s.usage()).isEqualTo(Usage.NONE);
    assertThat(s.cost().source()).isEqualTo(CostSource.UNKNOWN);
  }

  @Test
  void timestampsAfter2200_rejectTheSpan() {
    long year9999999 = Long.MAX_VALUE; // as far as an OTLP timestamp reaches (year 2262)
    NormalizedBatch batch =
        normalize(
            span(A, null, "late", Map.of())
                .setStartTimeUnixNano(year9999999 - 1)
                .setEndTimeUnixNano(year9999999));

    assertThat(batch.spans()).isEmpty();
    assertThat(batch.rejectedSpans()).isEqualTo(1);
    assertThat(batch.message()).contains("after the year 2200");
  }

  @Test
  void tenMegabyteAttribute_andLongName_areTruncatedWithAMarker() {
    String huge = "x".repeat(10 << 20);
    NormalizedBatch batch = normalize(span(A, null, huge, Map.of("input.value", huge)));

    AgentSpan s = batch.spans().get(0);
    assertThat(s.attributes().get("input.value"))
        .hasSizeLessThan(SpanNormalizer.DEFAULT_MAX_ATTRIBUTE_CHARS + 64)
        .endsWith(
            "…[truncated " + ((10 << 20) - SpanNormalizer.DEFAULT_MAX_ATTRIBUTE_CHARS) + " chars]");
    assertThat(s.name())
        .hasSizeLessThan(SpanNormalizer.MAX_NAME_CHARS + 64)
        .startsWith("x".repeat(SpanNormalizer.MAX_NAME_CHARS) + "…[truncated");
  }

  @Test
  void attributesBeyondTheCap_areDropped() {
    Span.Builder span = span(A, null, "many", Map.of());
    for (int i = 0; i < AnyValues.MAX_ATTRIBUTES + 10; i++) {
      span.addAttributes(
          io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
              .setKey("k" + i)
              .setValue(
                  io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("v")));
    }
    NormalizedBatch batch = normalize(span);

    assertThat(batch.spans().get(0).attributes()).hasSize(AnyValues.MAX_ATTRIBUTES);
    assertThat(batch.warnings()).anyMatch(w -> w.contains("dropped"));
  }

  @Test
  void absurdPriceOverride_isRefusedWhenRead() {
    String json =
        """
        {"catalogVersion": "o", "currency": "USD", "unit": "per_million_tokens", "models": [
          {"provider": "openai", "model": "gpt-4o", "kind": "chat",
           "prices": [{"effectiveFrom": "2024-01-01", "input": 1e308, "output": 1}]}]}
        """;
    assertThatThrownBy(
            () ->
                PriceCatalog.fromJson(
                    new java.io.ByteArrayInputStream(
                        json.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .hasMessageContaining("input")
        .hasMessageContaining("above the limit");
  }

  @Test
  void tinyPrice_isRoundedTo18PlacesBeforeAnyArithmetic() {
    var rates =
        new io.agentledger.core.pricing.PriceRates(
            new BigDecimal("1e-999999999"), BigDecimal.ONE, null, null, null, null);
    assertThat(rates.input()).isEqualTo(BigDecimal.ZERO.setScale(18));
    assertThat(Cost.SCALE).isEqualTo(12);
  }
}
