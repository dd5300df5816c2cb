package io.agentledger.standalone.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.instrumentation.AgentLedger;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The simulated agents record the shapes the demo promises, on the simulated clock. */
class SimulatedAgentsTest {

  private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
  private static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");
  private static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  private static final AttributeKey<String> ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> CACHE_READ =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  private static final AttributeKey<Long> OUTPUT =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<String> DECISION =
      AttributeKey.stringKey("agentledger.decision.name");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SimulatedClock clock = new SimulatedClock();
  // Not closed: closing would shut the in-memory exporter down, which forgets its spans.
  private final AgentLedger ledger =
      AgentLedger.builder()
          .tracerProvider(
              SdkTracerProvider.builder()
                  .setClock(clock)
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .clock(clock)
          .captureContent(true)
          .build();

  /** The spans of one run, in the order they ended. */
  private List<SpanData> run(SimulatedAgent agent, long seed, double costFactor) {
    exporter.reset();
    clock.startRun(T0);
    agent.run(ledger, new Simulation(seed, clock, costFactor));
    return List.copyOf(exporter.getFinishedSpanItems());
  }

  private static SpanData root(List<SpanData> spans) {
    return spans.stream()
        .filter(s -> !s.getParentSpanContext().isValid())
        .findFirst()
        .orElseThrow();
  }

  private static List<String> decisions(List<SpanData> spans) {
    return spans.stream()
        .flatMap(s -> s.getEvents().stream())
        .filter(e -> e.getName().equals("agentledger.decision"))
        .map(EventData::getAttributes)
        .map(a -> a.get(DECISION))
        .collect(Collectors.toList());
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static long tokens(List<SpanData> spans) {
    return spans.stream()
        .mapToLong(
            s ->
                Objects.requireNonNullElse(s.getAttributes().get(INPUT), 0L)
                    + Objects.requireNonNullElse(s.getAttributes().get(OUTPUT), 0L))
        .sum();
  }

  @Test
  void triageV1_alwaysSearchesThenRoutes_v2SometimesClarifiesAndLooksTheCustomerUp() {
    int clarified = 0;
    for (long seed = 0; seed < 200; seed++) {
      List<SpanData> v1 = run(SupportCrew.v1(), seed, 1);
      assertThat(decisions(v1)).startsWith("route");
      assertThat(named(v1, "execute_tool get_customer")).isEmpty();
      assertThat(named(v1, "execute_tool search_kb")).hasSize(1);

      List<SpanData> v2 = run(SupportCrew.v2(), seed, 1);
      if (decisions(v2).contains("clarify")) {
        clarified++;
        SpanData lookup = named(v2, "execute_tool get_customer").get(0);
        // The model's first call chose both tools; each tool span carries the id it was given.
        String chosen = named(v2, "chat gpt-4o-mini").get(0).getAttributes().get(OUTPUT_MESSAGES);
        assertThat(chosen)
            .contains("\"name\":\"search_kb\"", "\"name\":\"get_customer\"")
            .contains("\"id\":\"" + lookup.getAttributes().get(CALL_ID) + "\"");
      } else {
        assertThat(named(v2, "execute_tool get_customer")).isEmpty();
      }
    }
    assertThat(clarified).isBetween(50, 110); // 40 % of 200
  }

  @Test
  void triageV2_isThirtyPercentSlower_forTheSameTokens() {
    List<Long> v1Durations = new ArrayList<>();
    List<Long> v2Durations = new ArrayList<>();
    long v1Tokens = 0;
    long v2Tokens = 0;
    for (long seed = 0; seed < 1000; seed++) {
      List<SpanData> v1 = run(SupportCrew.v1(), seed, 1);
      v1Durations.add(duration(root(v1)));
      v1Tokens += tokens(v1);
      List<SpanData> v2 = run(SupportCrew.v2(), seed, 1);
      v2Durations.add(duration(root(v2)));
      v2Tokens += tokens(v2);
    }
    assertThat((double) median(v2Durations) / median(v1Durations)).isBetween(1.15, 1.45);
    assertThat((double) v2Tokens / v1Tokens).isBetween(0.92, 1.08);
  }

  @Test
  void theSupportCrew_handsOffAsksForApprovals_andSometimesPingPongs() {
    int approvals = 0;
    int denials = 0;
    int pingPongs = 0;
    for (long seed = 0; seed < 200; seed++) {
      List<SpanData> spans = run(SupportCrew.v1(), seed, 1);
      approvals += named(spans, "approval issue_refund").size();
      denials +=
          (int)
              named(spans, "approval issue_refund").stream()
                  .filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
                  .count();
      if (named(spans, "invoke_agent billing").size() == 2) {
        pingPongs++;
        assertThat(named(spans, "invoke_agent refunds")).hasSize(2);
      }
      SpanData triage = root(spans);
      assertThat(triage.getName()).isEqualTo("invoke_agent support-triage");
      assertThat(
              spans.stream()
                  .filter(s -> s.getParentSpanId().equals(triage.getSpanId()))
                  .map(SpanData::getName))
          .containsAnyOf("invoke_agent refunds", "invoke_agent faq");
    }
    assertThat(approvals).isGreaterThan(40);
    assertThat(denials).isBetween(approvals / 20, approvals / 4); // 15 %
    assertThat(pingPongs).isGreaterThan(2);
  }

  @Test
  void theCoder_loopsOnTheSameTestRun_failsTools_andRetriesRateLimitedCalls() {
    int loops = 0;
    int retries = 0;
    int toolErrors = 0;
    for (long seed = 0; seed < 200; seed++) {
      List<SpanData> spans = run(new CodingAgent(), seed, 1);
      List<SpanData> tests = named(spans, "execute_tool run_tests");
      long sameArguments =
          tests.stream()
              .collect(Collectors.groupingBy(s -> s.getAttributes().get(ARGUMENTS)))
              .values()
              .stream()
              .mapToLong(List::size)
              .max()
              .orElse(0);
      if (sameArguments >= 3) {
        loops++;
        assertThat(root(spans).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      }
      toolErrors +=
          (int)
              spans.stream()
                  .filter(s -> s.getAttributes().get(TOOL_NAME) != null)
                  .filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
                  .count();
      List<SpanData> chats =
          spans.stream()
              .filter(s -> s.getName().startsWith("chat "))
              .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
              .toList();
      if (chats.get(0).getStatus().getStatusCode() == StatusCode.ERROR) {
        retries++;
        assertThat(chats.get(0).getAttributes().get(ERROR_TYPE)).endsWith("RateLimitError");
        assertThat(chats.get(1).getName()).isEqualTo(chats.get(0).getName());
        assertThat(chats.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      }
    }
    assertThat(loops).isBetween(8, 35); // 10 % of 200
    assertThat(retries).isBetween(6, 30); // 8 %
    assertThat(toolErrors).isGreaterThan(loops * 3);
  }

  @Test
  void theCostFactor_multipliesEveryModelCallsInputTokens() {
    for (long seed = 0; seed < 20; seed++) {
      List<SpanData> usual = named(run(new ResearchAssistant(), seed, 1), "chat gpt-4.1-mini");
      List<SpanData> spiked = named(run(new ResearchAssistant(), seed, 6), "chat gpt-4.1-mini");
      assertThat(spiked).hasSameSizeAs(usual);
      for (int i = 0; i < usual.size(); i++) {
        assertThat(spiked.get(i).getAttributes().get(INPUT))
            .isEqualTo(6 * usual.get(i).getAttributes().get(INPUT));
        assertThat(spiked.get(i).getAttributes().get(OUTPUT))
            .isEqualTo(usual.get(i).getAttributes().get(OUTPUT));
      }
    }
  }

  /**
   * The demo's spike passes the default anomaly floors run by run: a spiked run is more than
   * AGENTLEDGER_ANOMALY_MIN_COST_USD ($0.01) and AGENTLEDGER_ANOMALY_MIN_CHANGE (25 %) above the
   * usual median, and far outside the robust band (threshold 3.5 MADs).
   */
  @Test
  void theSpikedResearchRuns_clearTheDefaultAnomalyFloors() {
    double[] usual = new double[200];
    double[] spiked = new double[200];
    for (int seed = 0; seed < 200; seed++) {
      usual[seed] = researchCost(run(new ResearchAssistant(), seed, 1));
      spiked[seed] = researchCost(run(new ResearchAssistant(), 1000 + seed, 6));
    }
    double median = median(usual);
    double[] deviations = new double[usual.length];
    for (int i = 0; i < usual.length; i++) {
      deviations[i] = Math.abs(usual[i] - median);
    }
    double mad = 1.4826 * median(deviations);
    assertThat(median).isBetween(0.005, 0.01); // about $0.007 a run
    int raised = 0;
    for (double cost : spiked) {
      if (cost - median > 0.01 && cost / median > 1.25 && (cost - median) / mad > 3.5) {
        raised++;
      }
    }
    // Nearly every run: the first spiked run of a cycle fires the episode, the others keep it.
    assertThat(raised).isGreaterThanOrEqualTo(190);
    assertThat(median(spiked) - median).isGreaterThan(0.02);
  }

  /** A research run's cost at gpt-4.1-mini's catalog prices ($0.40, cached $0.10, out $1.60). */
  private static double researchCost(List<SpanData> spans) {
    double cost = 0;
    for (SpanData s : named(spans, "chat gpt-4.1-mini")) {
      long in = s.getAttributes().get(INPUT);
      Long cached = s.getAttributes().get(CACHE_READ);
      long c = cached == null ? 0 : cached;
      cost += ((in - c) * 0.40 + c * 0.10 + s.getAttributes().get(OUTPUT) * 1.60) / 1e6;
    }
    return cost;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  @Test
  void aRunIsTimedByTheSimulatedClock_andTheSameSeedGivesTheSameRun() {
    List<SpanData> first = run(SupportCrew.v1(), 42, 1);
    long elapsed = clock.elapsed().toNanos();
    SpanData root = root(first);
    assertThat(root.getStartEpochNanos()).isEqualTo(T0.getEpochSecond() * 1_000_000_000L);
    assertThat(duration(root)).isEqualTo(elapsed);
    assertThat(elapsed).isGreaterThan(1_000_000_000L); // model calls take their time

    List<SpanData> again = run(SupportCrew.v1(), 42, 1);
    assertThat(again.stream().map(SimulatedAgentsTest::shape))
        .containsExactlyElementsOf(first.stream().map(SimulatedAgentsTest::shape).toList());
  }

  /** A span without its ids: name, timing, attributes. */
  private static String shape(SpanData s) {
    return s.getName()
        + " "
        + (s.getStartEpochNanos() - T0.getEpochSecond() * 1_000_000_000L)
        + " "
        + duration(s)
        + " "
        + s.getAttributes();
  }

  private static long duration(SpanData s) {
    return s.getEndEpochNanos() - s.getStartEpochNanos();
  }

  private static long median(List<Long> values) {
    return values.stream().sorted().skip(values.size() / 2).findFirst().orElseThrow();
  }
}
