package io.agentledger.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpLogsDecoder;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.testing.TestCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the real Claude Code CLI exported (captured by {@code
 * core/src/test/fixtures-capture/claude-code.mjs}, see its README section): one prompt that reads a
 * file, so two model calls and one tool run, served by the fake Anthropic API with fixed usage.
 *
 * <p>The bill, by hand, at claude-sonnet-4-5's prices ($3 input, $15 output, $0.30 cache read,
 * $3.75 cache write per million tokens; Anthropic's input excludes the cache):
 *
 * <ul>
 *   <li>tool call: 1,200 × 3 + 150 × 15 + 8,000 × 3.75 = 3,600 + 2,250 + 30,000 → $0.03585
 *   <li>final: 400 × 3 + 60 × 15 + 8,000 × 0.30 + 500 × 3.75 = 1,200 + 900 + 2,400 + 1,875 →
 *       $0.006375
 *   <li>chain: $0.042225 — what the CLI itself printed as {@code total_cost_usd} (RUNS.json)
 * </ul>
 */
class ClaudeCodeFixturesTest {

  private static final String ROOT = "/fixtures/otlp/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode RUNS = read("claude-code/RUNS.json").path("runs");
  private static final String BILL = "0.042225";

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"events", "events-json", "beta"})
  void onePromptIsOneChain_billedOnce_inItsSessionAndForItsFleetMember(String scenario)
      throws IOException {
    JsonNode run = RUNS.path(scenario);
    assertThat(BILL).isEqualTo(run.path("total_cost_usd").asText());

    List<AgentSpan> spans = spans(scenario, f -> true);
    ChainRollupResult chain = onlyChain(spans);
    ChainSummary summary = chain.summary();

    assertThat(summary.llmCalls()).isEqualTo(2);
    assertThat(summary.toolCalls()).isEqualTo(1);
    assertThat(summary.costUsd()).isEqualByComparingTo(BILL);
    assertThat(summary.costComplete()).isTrue();
    assertThat(summary.usage().inputTokens()).isEqualTo(1_200 + 8_000 + 400 + 8_000 + 500);
    assertThat(summary.usage().outputTokens()).isEqualTo(210);
    assertThat(summary.usage().cacheReadTokens()).isEqualTo(8_000);
    assertThat(summary.usage().cacheWriteTokens()).isEqualTo(8_500);
    assertThat(summary.sessionId()).isEqualTo(run.path("session_id").asText());
    assertThat(summary.name()).isEqualTo("claude_code.interaction");
    assertThat(summary.agent()).isEqualTo("fixer");
    assertThat(chain.byAgent())
        .extracting(
            AgentCost::agent, a -> a.inclusiveCostUsd().stripTrailingZeros().toPlainString())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("fixer", BILL));
    assertThat(spans)
        .filteredOn(s -> chain.countedSpanIds().contains(s.spanId()))
        .allSatisfy(s -> assertThat(s.semantics().agentId()).isEqualTo("fixer-7"));
  }

  @Test
  void withoutTheBeta_theEventsMakeTheChain_andClaudeCodesOwnCostIsKept() throws IOException {
    List<AgentSpan> spans = spans("events", f -> true);
    List<AgentSpan> calls = ofType(spans, SpanType.LLM);
    assertThat(calls).hasSize(2);
    assertThat(calls)
        .allSatisfy(
            c -> {
              assertThat(c.billingRole()).isEqualTo(BillingRole.BILLABLE);
              assertThat(c.cost().source()).isEqualTo(CostSource.REPORTED);
              assertThat(c.semantics().model()).isEqualTo("claude-sonnet-4-5");
              assertThat(c.semantics().provider()).isEqualTo("anthropic");
            });
    assertThat(calls)
        .extracting(c -> c.cost().amountUsd().stripTrailingZeros().toPlainString())
        .containsExactlyInAnyOrder("0.03585", "0.006375");
    AgentSpan root = ofType(spans, SpanType.AGENT).get(0);
    assertThat(root.isRoot()).isTrue();
    assertThat(calls).allSatisfy(c -> assertThat(c.parentSpanId()).isEqualTo(root.spanId()));
    String promptId = root.attributes().get("prompt.id");
    assertThat(root.traceId())
        .isEqualTo(io.agentledger.core.otlp.HexIds.toHex(LogSpans.promptTrace(promptId)));
  }

  @Test
  void withTheBeta_eachRequestIsASpanAndAnEvent_andCountsOnce() throws IOException {
    List<AgentSpan> spans = spans("beta", f -> true);
    List<AgentSpan> calls = ofType(spans, SpanType.LLM);
    assertThat(calls).hasSize(4); // two llm_request spans, two api_request events
    ChainRollupResult chain = onlyChain(spans);
    List<AgentSpan> counted =
        calls.stream().filter(c -> chain.countedSpanIds().contains(c.spanId())).toList();
    assertThat(counted).extracting(AgentSpan::name).containsOnly("claude_code.llm_request");
    assertThat(counted).hasSize(2);
    assertThat(calls)
        .filteredOn(c -> c.attributes().containsKey(LogSpans.SOURCE_EVENT))
        .allSatisfy(c -> assertThat(c.billingRole()).isEqualTo(BillingRole.ROLLUP));
    assertThat(chain.billingCorrections()).isEmpty(); // the per-span decision was already right
  }

  @Test
  void withTheBeta_logsAloneStillBillEachRequestOnce() throws IOException {
    List<AgentSpan> spans = spans("beta", f -> f.contains(".logs."));
    ChainRollupResult chain = onlyChain(spans);
    assertThat(chain.summary().llmCalls()).isEqualTo(2);
    assertThat(chain.summary().costUsd()).isEqualByComparingTo(BILL);
    assertThat(chain.billingCorrections().values()).containsOnly(BillingRole.BILLABLE);
  }

  @Test
  void withTheBeta_tracesAloneBillTheSame() throws IOException {
    ChainRollupResult chain = onlyChain(spans("beta", f -> !f.contains(".logs.")));
    assertThat(chain.summary().llmCalls()).isEqualTo(2);
    assertThat(chain.summary().costUsd()).isEqualByComparingTo(BILL);
  }

  @Test
  void aRetriedExportMakesTheSameSpans() throws IOException {
    List<AgentSpan> once = spans("events", f -> true);
    List<AgentSpan> twice = new ArrayList<>(once);
    twice.addAll(spans("events", f -> true));
    assertThat(onlyChain(twice).summary().costUsd()).isEqualByComparingTo(BILL);
    assertThat(twice.stream().map(AgentSpan::spanId).distinct().count()).isEqualTo(once.size());
  }

  @Test
  void everythingElseIsDroppedAndCounted() throws IOException {
    long dropped = 0;
    long made = 0;
    for (String file : files("events", f -> f.contains(".logs."))) {
      LogSpans.Result r = LogSpans.convert(OtlpLogsDecoder.decode(bytes(file), format(file)));
      dropped += r.dropped();
      made += r.modelCalls() + r.otherSpans();
    }
    assertThat(made).isEqualTo(4); // the prompt, two model calls, one tool run
    assertThat(dropped).isPositive(); // settings, plugins, tool decisions, the answer
  }

  // ---------------------------------------------------------------------------------------------

  private static List<AgentSpan> ofType(List<AgentSpan> spans, SpanType type) {
    return spans.stream().filter(s -> s.type() == type).toList();
  }

  private static ChainRollupResult onlyChain(List<AgentSpan> spans) {
    Map<String, List<AgentSpan>> byTrace =
        spans.stream().collect(Collectors.groupingBy(AgentSpan::traceId));
    assertThat(byTrace).hasSize(1);
    return ChainRollup.compute(byTrace.values().iterator().next());
  }

  private List<AgentSpan> spans(String scenario, Predicate<String> which) throws IOException {
    List<AgentSpan> out = new ArrayList<>();
    for (String file : files(scenario, which)) {
      if (file.contains(".metrics.")) {
        continue; // nothing is kept from metrics
      }
      ExportTraceServiceRequest request =
          file.contains(".logs.")
              ? LogSpans.convert(OtlpLogsDecoder.decode(bytes(file), format(file))).spans()
              : OtlpTraceDecoder.decode(bytes(file), format(file));
      NormalizedBatch batch = normalizer.normalize(request, "p");
      assertThat(batch.rejectedSpans()).isZero();
      out.addAll(batch.spans());
    }
    return Collections.unmodifiableList(out);
  }

  private static List<String> files(String scenario, Predicate<String> which) {
    List<String> out = new ArrayList<>();
    RUNS.path(scenario).path("files").forEach(f -> out.add(f.asText()));
    assertThat(out).isNotEmpty();
    return out.stream().filter(which).toList();
  }

  private static OtlpFormat format(String file) {
    return file.endsWith(".json") ? OtlpFormat.JSON : OtlpFormat.PROTOBUF;
  }

  private static byte[] bytes(String file) throws IOException {
    try (InputStream in = ClaudeCodeFixturesTest.class.getResourceAsStream(ROOT + file)) {
      assertThat(in).as(file).isNotNull();
      return in.readAllBytes();
    }
  }

  private static JsonNode read(String file) {
    try {
      return JSON.readTree(bytes(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
