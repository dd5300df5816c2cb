package io.agentledger.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpLogsDecoder;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.testing.TestCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the real {@code openlit} npm package (1.15.0) exported with its GenAI events on (captured by
 * {@code fixtures-capture/scenarios/openlit.mjs chat-unpriced}): three chat calls, each its own
 * trace, as spans ({@code 01-chat-unpriced.json}) and as {@code
 * gen_ai.client.inference.operation.details} log events ({@code 02-chat-unpriced.logs.json}, each
 * carrying the trace and span id of its chat span, input and output tokens but no cache reads and
 * no cost).
 *
 * <p>Bills by hand at gpt-4o-mini-2024-07-18's prices ($0.15 input, $0.075 cache read, $0.60 output
 * per million tokens; OpenAI's input includes the cache):
 *
 * <ul>
 *   <li>spans (what OpenLIT reported, = the catalog): 200 × 0.15 + 1,000 × 0.075 + 300 × 0.60 →
 *       $0.000285; 220 × 0.15 + 1,280 × 0.075 + 120 × 0.60 → $0.000201
 *   <li>events alone (no cache reads in them): 1,200 × 0.15 + 300 × 0.60 → $0.00036; 1,500 × 0.15 +
 *       120 × 0.60 → $0.000297
 *   <li>{@code acme-chat-1}: no price anywhere; OpenLIT wrote {@code gen_ai.usage.cost} 0 beside
 *       800 / 60 tokens — unknown, never $0
 * </ul>
 */
class OpenLitEventsFixtureTest {

  private static final String DIR = "/fixtures/otlp/openlit-events/";
  private static final String TRACES = "01-chat-unpriced.json";
  private static final String LOGS = "02-chat-unpriced.logs.json";
  private static final String UNPRICED = "acme-chat-1";

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()));

  @Test
  void spansAndEvents_eachCallIsBilledOnce_atTheSpansPrice() throws IOException {
    List<AgentSpan> spans = new ArrayList<>(normalize(traces()));
    spans.addAll(normalize(events()));
    assertThat(spans).hasSize(6);

    Map<String, ChainRollupResult> chains = chains(spans);
    assertThat(chains).hasSize(3);
    assertThat(chains.values()).allSatisfy(c -> assertThat(c.summary().llmCalls()).isEqualTo(1));
    assertThat(costs(chains)).containsExactly("0.000201", "0.000285", "unknown");
    assertThat(spans)
        .filteredOn(s -> chains.get(s.traceId()).countedSpanIds().contains(s.spanId()))
        .allSatisfy(s -> assertThat(s.attributes()).doesNotContainKey(LogSpans.SOURCE_EVENT));
  }

  @Test
  void eventsAlone_billEachCallFromTheEvent() throws IOException {
    List<AgentSpan> spans = normalize(events());
    assertThat(spans).hasSize(3);
    assertThat(spans)
        .allSatisfy(
            s -> {
              assertThat(s.type().isModelCall()).isTrue();
              assertThat(s.attributes())
                  .containsEntry(LogSpans.SOURCE_EVENT, GenAiEvents.INFERENCE_DETAILS);
              assertThat(s.parentSpanId()).isNotEmpty(); // under the span it describes
            });
    Map<String, ChainRollupResult> chains = chains(spans);
    assertThat(costs(chains)).containsExactly("0.000297", "0.00036", "unknown");
    assertThat(spans)
        .filteredOn(s -> !s.semantics().model().equals(UNPRICED))
        .allSatisfy(
            s -> {
              assertThat(s.semantics().provider()).isEqualTo("openai");
              assertThat(s.cost().source()).isEqualTo(CostSource.COMPUTED);
            });
  }

  @Test
  void theEventStandsInForASpanThatReportsNoUsage() throws IOException {
    ExportTraceServiceRequest.Builder traces = traces().toBuilder();
    for (var rs : traces.getResourceSpansBuilderList()) {
      for (var ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          List<io.opentelemetry.proto.common.v1.KeyValue> kept =
              span.getAttributesList().stream()
                  .filter(kv -> !kv.getKey().startsWith("gen_ai.usage."))
                  .toList();
          span.clearAttributes().addAllAttributes(kept);
        }
      }
    }
    List<AgentSpan> spans = new ArrayList<>(normalize(traces.build()));
    spans.addAll(normalize(events()));
    Map<String, ChainRollupResult> chains = chains(spans);
    assertThat(chains.values()).allSatisfy(c -> assertThat(c.summary().llmCalls()).isEqualTo(1));
    assertThat(costs(chains)).containsExactly("0.000297", "0.00036", "unknown");
  }

  @Test
  void openLitsReportedZeroForAModelWithoutAPrice_isUnknownNotFree() throws IOException {
    AgentSpan call =
        normalize(traces()).stream()
            .filter(s -> s.semantics().model().equals(UNPRICED))
            .findFirst()
            .orElseThrow();
    assertThat(call.attributes()).containsEntry("gen_ai.usage.cost", "0");
    assertThat(call.usage().inputTokens()).isEqualTo(800);
    assertThat(call.usage().outputTokens()).isEqualTo(60);
    assertThat(call.cost().source()).isEqualTo(CostSource.UNKNOWN);
    assertThat(call.cost().isKnown()).isFalse();
    ChainRollupResult chain = ChainRollup.compute(List.of(call));
    assertThat(chain.summary().costComplete()).isFalse();
    assertThat(chain.summary().unpricedCalls()).isEqualTo(1);
  }

  @Test
  void aRetriedLogsExportMakesTheSameSpans() throws IOException {
    List<String> once = normalize(events()).stream().map(AgentSpan::spanId).toList();
    List<String> again = normalize(events()).stream().map(AgentSpan::spanId).toList();
    assertThat(again).isEqualTo(once);
  }

  // ---------------------------------------------------------------------------------------------

  /** Chain cost by trace, as text sorted: known amounts, or "unknown" when not complete. */
  private static List<String> costs(Map<String, ChainRollupResult> chains) {
    return chains.values().stream()
        .map(
            c ->
                c.summary().costComplete()
                    ? c.summary().costUsd().stripTrailingZeros().toPlainString()
                    : "unknown")
        .sorted()
        .toList();
  }

  private static Map<String, ChainRollupResult> chains(List<AgentSpan> spans) {
    Map<String, List<AgentSpan>> byTrace =
        spans.stream().collect(Collectors.groupingBy(AgentSpan::traceId));
    Map<String, ChainRollupResult> out = new TreeMap<>();
    byTrace.forEach((trace, list) -> out.put(trace, ChainRollup.compute(list)));
    return out;
  }

  private List<AgentSpan> normalize(ExportTraceServiceRequest request) {
    NormalizedBatch batch = normalizer.normalize(request, "p");
    assertThat(batch.rejectedSpans()).isZero();
    return batch.spans();
  }

  private static ExportTraceServiceRequest traces() throws IOException {
    return OtlpTraceDecoder.decode(bytes(TRACES), OtlpFormat.JSON);
  }

  private static ExportTraceServiceRequest events() throws IOException {
    LogSpans.Result r = LogSpans.convert(OtlpLogsDecoder.decode(bytes(LOGS), OtlpFormat.JSON));
    assertThat(r.modelCalls()).isEqualTo(3);
    assertThat(r.dropped()).isZero();
    return r.spans();
  }

  private static byte[] bytes(String file) throws IOException {
    try (InputStream in = OpenLitEventsFixtureTest.class.getResourceAsStream(DIR + file)) {
      assertThat(in).as(file).isNotNull();
      return in.readAllBytes();
    }
  }
}
