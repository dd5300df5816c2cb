package io.agentledger.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.testing.TestCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Normalizes OTLP payloads captured from the real instrumentations (Vercel AI SDK legacy and v7,
 * OpenInference, OpenLLMetry/Traceloop, OpenLIT, Langfuse; Pydantic AI built from its documented
 * keys) and checks the result against {@code fixtures/otlp/MANIFEST.json}: the facts the fake model
 * server served and what each instrumentation actually emitted. The capture script and the notes on
 * every fixture are in {@code core/src/test/fixtures-capture/}.
 */
class CapturedFixturesTest {

  private static final String ROOT = "/fixtures/otlp/";
  private static final JsonNode MANIFEST = readManifest();

  /**
   * Where the per-span billing decision differs from the manifest's judgement, and why that is
   * still right: the chain's tree corrects it (checked by {@code checkChainTotals}).
   */
  private static final Map<String, String> KNOWN_DIFFERENCES =
      Map.of(
          "vercel-ai-v7/03-embed.binpb embeddings text-embedding-3-small#0",
          "AI SDK 7 emits the embed wrapper exactly like the call inside it, minus usage: no span"
              + " attribute tells them apart, so it starts billable-without-usage and the tree"
              + " (its child carries the usage) settles it as not counted");

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()));

  static Stream<String> fixtures() {
    List<String> names = new ArrayList<>();
    MANIFEST.path("fixtures").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void normalizesWhatTheInstrumentationEmitted(String fixture) throws IOException {
    JsonNode facts = MANIFEST.path("fixtures").path(fixture);
    NormalizedBatch batch = normalize(fixture, facts);

    assertThat(batch.rejectedSpans()).isZero();
    assertThat(batch.spans()).hasSize(facts.path("spanCount").asInt());
    Map<String, List<AgentSpan>> byName =
        batch.spans().stream()
            .sorted(Comparator.comparingLong(AgentSpan::startEpochNanos))
            .collect(Collectors.groupingBy(AgentSpan::name));
    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode expected : facts.path("spans")) {
      String name = expected.path("name").asText();
      int occurrence = seen.merge(name, 1, Integer::sum) - 1;
      AgentSpan span = byName.get(name).get(occurrence);
      assertThat(span.type().wireName())
          .as("%s type", name)
          .isEqualTo(expected.path("suggested").path("type").asText());
      boolean billable = expected.path("suggested").path("billable").asBoolean();
      if (!KNOWN_DIFFERENCES.containsKey(fixture + " " + name + "#" + occurrence)) {
        assertThat(span.billingRole() == BillingRole.BILLABLE)
            .as("%s billable", name)
            .isEqualTo(billable);
      }
    }
    for (JsonNode call : facts.path("modelCalls")) {
      checkModelCall(call, pick(byName, call));
    }
    for (JsonNode rollup : facts.path("rollups")) {
      AgentSpan span = pick(byName, rollup);
      assertThat(span.billingRole()).as(span.name()).isEqualTo(BillingRole.ROLLUP);
    }
    facts
        .path("context")
        .fields()
        .forEachRemaining(e -> checkContext(e.getKey(), e.getValue(), byName));
    checkChainTotals(batch, facts, byName);
  }

  /**
   * Counters are what the span emitted, converted to OTel's shape — the served numbers when the
   * emitter lost nothing.
   */
  private static void checkModelCall(JsonNode call, AgentSpan span) {
    JsonNode emitted = call.path("emitted");
    JsonNode served = call.path("served");
    String label = span.name() + "#" + call.path("occurrence").asInt();
    assertThat(span.semantics().provider()).as(label).isEqualTo("openai");
    String model =
        emitted.path("responseModel").isObject()
            ? emitted.path("responseModel").path("value").asText()
            : emitted.path("requestModel").path("value").asText();
    assertThat(span.semantics().model()).as(label + " model").isEqualTo(model);
    if (emitted.path("costUsd").isObject()) {
      assertThat(span.cost().source()).as(label).isEqualTo(CostSource.REPORTED);
      // Reported doubles such as 0.00020099999999999995 are kept to Cost.SCALE decimals.
      assertThat(span.cost().amountUsd())
          .as(label)
          .isEqualByComparingTo(
              emitted
                  .path("costUsd")
                  .path("value")
                  .decimalValue()
                  .setScale(Cost.SCALE, RoundingMode.HALF_EVEN));
    }
    if (!emitted.path("inputTokens").isObject() && !emitted.path("outputTokens").isObject()) {
      // Usage not emitted at all: estimated from recorded text, or honestly unknown — never zero.
      assertThat(span.cost().source()).as(label).isIn(CostSource.ESTIMATED, CostSource.UNKNOWN);
      return;
    }
    assertThat(span.usage().inputTokens())
        .as(label + " input")
        .isEqualTo(expected(emitted, served, "inputTokens"));
    assertThat(span.usage().outputTokens())
        .as(label + " output")
        .isEqualTo(expected(emitted, served, "outputTokens"));
    assertThat(span.usage().cacheReadTokens())
        .as(label + " cache read")
        .isEqualTo(expected(emitted, served, "cacheReadTokens"));
    assertThat(span.usage().reasoningTokens())
        .as(label + " reasoning")
        .isEqualTo(expected(emitted, served, "reasoningTokens"));
    assertThat(span.cost().isKnown()).as(label + " priced: " + span.cost().detail()).isTrue();
  }

  private static long expected(JsonNode emitted, JsonNode served, String counter) {
    JsonNode e = emitted.path(counter);
    if (!e.isObject()) {
      return 0; // the emitter dropped it; nothing can bring it back
    }
    if (e.path("key").asText().startsWith("langfuse.observation.usage_details")) {
      return served.path(counter).asLong(); // disjoint buckets, reassembled by the normalizer
    }
    return e.path("value").asLong();
  }

  private static void checkContext(
      String field, JsonNode fact, Map<String, List<AgentSpan>> byName) {
    if (fact.isNull()) {
      return;
    }
    String value = fact.path("value").asText();
    for (JsonNode spanName : fact.path("spans")) {
      // Where several spans share the name (two chat steps), the fact holds for at least one:
      // OpenLIT records a tool call on the chat span that requested it, not on the next one.
      List<String> actual =
          byName.get(spanName.asText()).stream()
              .map(
                  span ->
                      switch (field) {
                        case "sessionId" -> span.semantics().sessionId();
                        case "userId" -> span.semantics().userId();
                        case "agentName" -> span.semantics().agentName();
                        case "toolName" -> span.semantics().toolName();
                        case "toolCallId" -> span.semantics().toolCallId();
                        default -> throw new AssertionError("unknown context field " + field);
                      })
              .toList();
      assertThat(actual).as("%s of %s", field, spanName.asText()).contains(value);
    }
  }

  /** Each trace costs exactly its model calls: roll-up parents never add to it. */
  private static void checkChainTotals(
      NormalizedBatch batch, JsonNode facts, Map<String, List<AgentSpan>> byName) {
    Map<String, BigDecimal> callsPerTrace = new HashMap<>();
    for (JsonNode call : facts.path("modelCalls")) {
      AgentSpan span = pick(byName, call);
      callsPerTrace.merge(span.traceId(), span.cost().amountOrZero(), BigDecimal::add);
    }
    Map<String, List<AgentSpan>> traces =
        batch.spans().stream().collect(Collectors.groupingBy(AgentSpan::traceId));
    for (Map.Entry<String, List<AgentSpan>> trace : traces.entrySet()) {
      ChainRollupResult rollup = ChainRollup.compute(trace.getValue());
      assertThat(rollup.summary().costUsd())
          .as("chain %s", trace.getKey())
          .isEqualByComparingTo(callsPerTrace.getOrDefault(trace.getKey(), BigDecimal.ZERO));
      for (JsonNode r : facts.path("rollups")) {
        AgentSpan span = pick(byName, r);
        assertThat(rollup.countedSpanIds()).doesNotContain(span.spanId());
      }
    }
  }

  private static AgentSpan pick(Map<String, List<AgentSpan>> byName, JsonNode ref) {
    return byName.get(ref.path("span").asText()).get(ref.path("occurrence").asInt());
  }

  private NormalizedBatch normalize(String fixture, JsonNode facts) throws IOException {
    OtlpFormat format =
        facts.path("encoding").asText().equals("json") ? OtlpFormat.JSON : OtlpFormat.PROTOBUF;
    try (InputStream in = getClass().getResourceAsStream(ROOT + fixture)) {
      assertThat(in).as(fixture).isNotNull();
      return normalizer.normalize(OtlpTraceDecoder.decode(in.readAllBytes(), format), null);
    }
  }

  private static JsonNode readManifest() {
    try (InputStream in = CapturedFixturesTest.class.getResourceAsStream(ROOT + "MANIFEST.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
