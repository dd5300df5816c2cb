package io.agentledger.analyzer.anomaly;

import static io.agentledger.core.testing.TestSpans.id;
import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunBehavioursTest {

  private static AgentSpan toolCall(
      String label, String parent, long at, String tool, String args) {
    AgentSpan s = span(label, parent).tool(tool).at(at, 5).build();
    return s.toBuilder().attributes(Map.of("gen_ai.tool.call.arguments", args)).build();
  }

  private static AgentSpan modelCall(
      String label, String parent, long at, long input, long output, String cost) {
    return span(label, parent).llm("openai", "gpt-4o").usage(input, output, cost).at(at, 5).build();
  }

  @Test
  void sameToolWithTheSameArgumentsThreeTimes_isALoop_withTheRepeatsWasted() {
    List<AgentSpan> spans =
        List.of(
            span("run", null).agent("researcher").at(0, 100).build(),
            modelCall("m1", "run", 1, 1000, 50, "0.010"),
            toolCall("t1", "run", 10, "search", "{\"q\":\"pricing\",\"top\":5}"),
            modelCall("m2", "run", 20, 1200, 50, "0.012"),
            // the same arguments with the keys in another order and other spacing
            toolCall("t2", "run", 30, "search", "{ \"top\": 5, \"q\": \"pricing\" }"),
            modelCall("m3", "run", 40, 1400, 50, "0.014"),
            toolCall("t3", "run", 50, "search", "{\"q\":\"pricing\",\"top\":5}"),
            toolCall("t4", "run", 60, "search", "{\"q\":\"other\",\"top\":5}"));

    Map<String, String> found = RunBehaviours.detect(spans, id("run"));

    assertThat(found)
        .containsEntry("tool_loop", "search")
        .containsEntry("tool_loop.calls", "3")
        // wasted: the model calls that chose the 2nd and 3rd call, m2 and m3
        .containsEntry("tool_loop.wasted_tokens", Long.toString(1250 + 1450))
        .containsEntry("tool_loop.wasted_cost_usd", "0.026")
        .containsEntry("tool_loop.loops", "1");
  }

  @Test
  void differentArguments_orNoRecordedArguments_areNoLoop() {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(span("run", null).agent("researcher").at(0, 100).build());
    for (int i = 0; i < 4; i++) {
      spans.add(toolCall("t" + i, "run", 10 + i, "search", "{\"q\":\"page " + i + "\"}"));
      spans.add(span("u" + i, "run").tool("fetch").at(20 + i, 1).build()); // arguments not kept
    }
    assertThat(RunBehaviours.detect(spans, id("run"))).isEmpty();
  }

  @Test
  void aNestedAgentsLoop_isItsOwnRunsNotTheOuterOnes() {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(span("outer", null).agent("planner").at(0, 100).build());
    spans.add(span("inner", "outer").agent("researcher").at(1, 90).build());
    for (int i = 0; i < 3; i++) {
      spans.add(toolCall("t" + i, "inner", 10 + i, "search", "{\"q\":\"x\"}"));
    }
    assertThat(RunBehaviours.detect(spans, id("outer"))).doesNotContainKey("tool_loop");
    assertThat(RunBehaviours.detect(spans, id("inner"))).containsEntry("tool_loop", "search");
  }

  @Test
  void handOffsBackAndForth_areAPingPong_reportedByTheOutermostRunOnly() {
    // triage → billing → triage → billing, each hand-off a child run (the instrumentation's way)
    List<AgentSpan> spans =
        List.of(
            handingOff(span("r1", null).agent("triage").at(0, 100).build(), "billing", 5),
            handingOff(span("r2", "r1").agent("billing").at(10, 80).build(), "triage", 15),
            handingOff(span("r3", "r2").agent("triage").at(20, 60).build(), "billing", 25),
            span("r4", "r3").agent("billing").at(30, 40).build());

    assertThat(RunBehaviours.detect(spans, id("r1")))
        .containsEntry("ping_pong", "triage↔billing")
        .containsEntry("ping_pong.handoffs", "3");
    assertThat(RunBehaviours.detect(spans, id("r2"))).doesNotContainKey("ping_pong");
    assertThat(RunBehaviours.detect(spans, id("r3"))).doesNotContainKey("ping_pong");
  }

  @Test
  void aSupervisorCallingTwoAgentsInTurn_isAPingPong_butOneRoundTripIsNot() {
    List<AgentSpan> twice =
        List.of(
            span("s", null).agent("supervisor").at(0, 100).build(),
            span("a1", "s").agent("writer").at(10, 5).build(),
            span("b1", "s").agent("critic").at(20, 5).build(),
            span("a2", "s").agent("writer").at(30, 5).build(),
            span("b2", "s").agent("critic").at(40, 5).build());
    assertThat(RunBehaviours.detect(twice, id("s"))).containsEntry("ping_pong", "writer↔critic");

    List<AgentSpan> once = twice.subList(0, 4); // writer, critic, writer
    assertThat(RunBehaviours.detect(once, id("s"))).doesNotContainKey("ping_pong");
  }

  @Test
  void contextGrowingQuadratically_isRunaway_butLinearGrowthIsNot() {
    List<AgentSpan> quadratic = new ArrayList<>();
    List<AgentSpan> linear = new ArrayList<>();
    quadratic.add(span("run", null).agent("coder").at(0, 1000).build());
    linear.add(span("run", null).agent("coder").at(0, 1000).build());
    for (int i = 1; i <= 6; i++) {
      quadratic.add(modelCall("m" + i, "run", i * 10, 1000L * i * i, 100, "0.01"));
      linear.add(modelCall("m" + i, "run", i * 10, 500 + 5000L * i, 100, "0.01"));
    }
    // 1000, 4000, 9000, 16000, 25000, 36000: growth over the first two calls (9000 - 1000) / 2 =
    // 4000, over the last two (36000 - 16000) / 2 = 10000 → 2.5
    assertThat(RunBehaviours.detect(quadratic, id("run")))
        .containsEntry("runaway_context", "gpt-4o")
        .containsEntry("runaway_context.calls", "6")
        .containsEntry("runaway_context.last_input_tokens", "36000")
        .containsEntry("runaway_context.acceleration", "2.50");
    assertThat(RunBehaviours.detect(linear, id("run"))).doesNotContainKey("runaway_context");
  }

  @Test
  void anUnknownRunSpan_hasNoBehaviours() {
    assertThat(RunBehaviours.detect(List.of(span("a", null).build()), id("zz"))).isEmpty();
  }

  private static AgentSpan handingOff(AgentSpan s, String to, long atMillis) {
    return s.toBuilder()
        .events(
            List.of(
                new SpanEvent(
                    s.startEpochNanos() + (atMillis % 10) * 1_000_000,
                    "agentledger.handoff",
                    Map.of("agentledger.handoff.to", to))))
        .build();
  }
}
