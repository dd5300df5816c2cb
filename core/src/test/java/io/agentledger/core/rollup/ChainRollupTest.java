package io.agentledger.core.rollup;

import static io.agentledger.core.testing.TestSpans.id;
import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.SpanType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChainRollupTest {

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(Cost.SCALE);
  }

  /** planner (agent, roll-up of everything below) → chat ×2, researcher (agent) → chat, tool. */
  private static List<AgentSpan> multiAgentChain() {
    return List.of(
        span("planner", null)
            .agent("planner")
            .at(0, 1000)
            .usage(3500, 700, "0.0175")
            .session("s-1")
            .build(),
        span("p-chat-1", "planner")
            .llm("openai", "gpt-4o")
            .at(10, 100)
            .usage(1000, 200, "0.0045")
            .build(),
        span("p-chat-2", "planner")
            .llm("openai", "gpt-4o")
            .at(120, 100)
            .usage(500, 100, "0.00225")
            .build(),
        span("researcher", "planner")
            .agent("researcher")
            .at(300, 600)
            .usage(2000, 400, "0.01")
            .build(),
        span("r-chat", "researcher")
            .llm("anthropic", "claude-sonnet-4-5")
            .at(310, 200)
            .usage(2000, 400, "0.012")
            .build(),
        span("r-tool", "researcher").tool("web_search").at(520, 50).error().build());
  }

  @Test
  void parentCarryingTheSumOfItsTwoCalls_costsExactlyTheTwoCalls() {
    List<AgentSpan> spans =
        List.of(
            span("agent", null).agent("writer").usage(1500, 300, "0.00675").build(),
            span("c1", "agent").llm("openai", "gpt-4o").at(1, 1).usage(1000, 200, "0.0045").build(),
            span("c2", "agent")
                .llm("openai", "gpt-4o")
                .at(2, 1)
                .usage(500, 100, "0.00225")
                .build());

    ChainRollupResult result = ChainRollup.compute(spans);

    assertThat(result.summary().costUsd()).isEqualTo(usd("0.00675"));
    assertThat(result.summary().usage()).isEqualTo(new UsageTotals(1500, 300, 0, 0, 0));
    assertThat(result.summary().llmCalls()).isEqualTo(2);
    assertThat(result.countedSpanIds()).containsExactlyInAnyOrder(id("c1"), id("c2"));
    TreeNode root = result.roots().get(0);
    assertThat(root.rollup()).isTrue();
    assertThat(root.costUsd()).isEqualTo(usd("0"));
    assertThat(root.totalCostUsd()).isEqualTo(usd("0.00675"));
  }

  @Test
  void multiAgentChain_totalsAndAttribution() {
    ChainRollupResult result = ChainRollup.compute(multiAgentChain());

    // counted: p-chat-1 0.0045 + p-chat-2 0.00225 + r-chat 0.012 = 0.01875
    ChainSummary s = result.summary();
    assertThat(s.costUsd()).isEqualTo(usd("0.01875"));
    assertThat(s.costComplete()).isTrue();
    assertThat(s.unpricedCalls()).isZero();
    assertThat(s.llmCalls()).isEqualTo(3);
    assertThat(s.toolCalls()).isEqualTo(1);
    assertThat(s.errorCount()).isEqualTo(1);
    assertThat(s.spanCount()).isEqualTo(6);
    assertThat(s.rootSpanId()).isEqualTo(id("planner"));
    assertThat(s.agent()).isEqualTo("planner");
    assertThat(s.sessionId()).isEqualTo("s-1");
    assertThat(s.usage()).isEqualTo(new UsageTotals(3500, 700, 0, 0, 0));
    assertThat(s.durationMillis()).isEqualTo(1000);

    assertThat(result.byAgent())
        .containsExactly(
            new AgentCost(
                "planner",
                usd("0.00675"),
                usd("0.01875"),
                2,
                0,
                new UsageTotals(1500, 300, 0, 0, 0),
                0),
            new AgentCost(
                "researcher",
                usd("0.012"),
                usd("0.012"),
                1,
                1,
                new UsageTotals(2000, 400, 0, 0, 0),
                0));
    assertThat(result.byModel())
        .containsExactly(
            new ModelCost(
                "anthropic",
                "claude-sonnet-4-5",
                usd("0.012"),
                1,
                new UsageTotals(2000, 400, 0, 0, 0),
                0),
            new ModelCost(
                "openai", "gpt-4o", usd("0.00675"), 2, new UsageTotals(1500, 300, 0, 0, 0), 0));

    TreeNode planner = result.roots().get(0);
    assertThat(planner.totalCostUsd()).isEqualTo(usd("0.01875"));
    assertThat(planner.children())
        .extracting(n -> n.span().name())
        .containsExactly("p-chat-1", "p-chat-2", "invoke_agent researcher");
    TreeNode researcher = planner.children().get(2);
    assertThat(researcher.totalCostUsd()).isEqualTo(usd("0.012"));
    assertThat(researcher.children().get(1).agent()).isEqualTo("researcher");
  }

  @Test
  void shuffledAndDuplicatedSpans_giveIdenticalResults() {
    ChainRollupResult expected = ChainRollup.compute(multiAgentChain());
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      List<AgentSpan> spans = new ArrayList<>(multiAgentChain());
      spans.addAll(multiAgentChain().subList(0, random.nextInt(6) + 1)); // replays
      spans.addAll(multiAgentChain().subList(random.nextInt(6), 6));
      Collections.shuffle(spans, random);

      ChainRollupResult result = ChainRollup.compute(spans);

      assertThat(result.summary()).isEqualTo(expected.summary());
      assertThat(result.byAgent()).isEqualTo(expected.byAgent());
      assertThat(result.byModel()).isEqualTo(expected.byModel());
      assertThat(result.roots()).isEqualTo(expected.roots());
    }
  }

  @Test
  void oneUnknownModel_makesTheChainIncomplete() {
    List<AgentSpan> spans = new ArrayList<>(multiAgentChain());
    spans.add(
        span("mystery", "researcher")
            .llm("acme", "acme-9")
            .at(700, 10)
            .unpricedUsage(100, 10)
            .build());

    ChainSummary s = ChainRollup.compute(spans).summary();

    assertThat(s.costComplete()).isFalse();
    assertThat(s.unpricedCalls()).isEqualTo(1);
    assertThat(s.costUsd()).isEqualTo(usd("0.01875")); // known costs only, never a made-up zero
  }

  @Test
  void rollupWithoutChildrenThatCarryUsage_countsItself_andIsCorrected() {
    // A remote agent invocation reporting tokens, its model calls not instrumented.
    List<AgentSpan> spans =
        List.of(
            span("remote", null).agent("assistant").usage(1000, 100, "0.0035").build(),
            span("lookup", "remote").tool("search").at(1, 1).build());

    ChainRollupResult result = ChainRollup.compute(spans);

    assertThat(result.summary().costUsd()).isEqualTo(usd("0.0035"));
    assertThat(result.billingCorrections()).containsEntry(id("remote"), BillingRole.BILLABLE);
  }

  @Test
  void modelCallWithToolsAndSubAgentsInsideIt_isBilledBesideThem() {
    // Google ADK keeps the call_llm span open while the tools the model chose run, so a sub-agent's
    // own model call sits beneath the parent call: both are provider requests, both are billed.
    List<AgentSpan> spans =
        List.of(
            span("root", null).agent("root_agent").build(),
            span("call-1", "root")
                .llm("gcp.gemini", "gemini-2.5-flash")
                .at(1, 100)
                .usage(1000, 200, "0.0008")
                .build(),
            span("tool", "call-1").tool("research_agent").at(50, 40).build(),
            span("sub", "tool").agent("research_agent").at(51, 38).build(),
            span("call-2", "sub")
                .llm("gcp.gemini", "gemini-2.5-flash")
                .at(52, 30)
                .usage(400, 100, "0.00037")
                .build());

    ChainRollupResult result = ChainRollup.compute(spans);

    assertThat(result.summary().costUsd()).isEqualTo(usd("0.00117"));
    assertThat(result.summary().llmCalls()).isEqualTo(2);
    assertThat(result.summary().usage()).isEqualTo(new UsageTotals(1400, 300, 0, 0, 0));
    assertThat(result.countedSpanIds()).containsExactlyInAnyOrder(id("call-1"), id("call-2"));
    assertThat(result.billingCorrections()).isEmpty();
    TreeNode call1 = result.roots().get(0).children().get(0);
    assertThat(call1.rollup()).isFalse();
    assertThat(call1.costUsd()).isEqualTo(usd("0.0008"));
    assertThat(call1.totalCostUsd()).isEqualTo(usd("0.00117"));
  }

  @Test
  void modelCallRepeatingTheSameUsageAsTheCallInsideIt_isARollup() {
    // A framework's model span (LangChain's ChatOpenAI) over the SDK client's span of the same
    // request: same tokens, one request. Usage equality decides when both say "model call".
    List<AgentSpan> spans =
        List.of(
            span("framework", null).llm("openai", "gpt-4o").usage(1000, 100, "0.0035").build(),
            span("client", "framework")
                .llm("openai", "gpt-4o")
                .at(1, 1)
                .usage(1000, 100, "0.0035")
                .build());

    ChainRollupResult result = ChainRollup.compute(spans);

    assertThat(result.summary().costUsd()).isEqualTo(usd("0.0035"));
    assertThat(result.countedSpanIds()).containsExactly(id("client"));
    assertThat(result.billingCorrections()).containsEntry(id("framework"), BillingRole.ROLLUP);
  }

  @Test
  void agentSpanCarryingPartOfItsChildrensUsage_isStillARollup() {
    // Aggregates by convention are roll-ups whatever their numbers: no equality needed.
    List<AgentSpan> spans =
        List.of(
            span("agent", null).agent("writer").usage(900, 10, "0.0001").build(),
            span("c1", "agent")
                .llm("openai", "gpt-4o")
                .at(1, 1)
                .usage(1000, 200, "0.0045")
                .build());

    ChainRollupResult result = ChainRollup.compute(spans);

    assertThat(result.summary().costUsd()).isEqualTo(usd("0.0045"));
    assertThat(result.countedSpanIds()).containsExactly(id("c1"));
  }

  @Test
  void lateChildren_reAttributeTheParentsUsage() {
    AgentSpan parent = span("step", null).type(SpanType.CHAIN).usage(1000, 100, "0.0035").build();
    AgentSpan child =
        span("call", "step").llm("openai", "gpt-4o").at(1, 1).usage(1000, 100, "0.0035").build();

    assertThat(ChainRollup.compute(List.of(parent)).summary().costUsd()).isEqualTo(usd("0.0035"));
    assertThat(ChainRollup.compute(List.of(parent, child)).summary().costUsd())
        .isEqualTo(usd("0.0035"));
    assertThat(ChainRollup.compute(List.of(parent, child)).countedSpanIds())
        .containsExactly(id("call"));
  }

  @Test
  void orphans_andParentCycles_doNotLoseOrLoopSpans() {
    List<AgentSpan> spans =
        List.of(
            span("root", null).agent("a").build(),
            span("orphan", "missing-parent")
                .llm("openai", "gpt-4o")
                .at(5, 1)
                .usage(10, 10, "0.001")
                .build(),
            span("x", "y").llm("openai", "gpt-4o").at(6, 1).usage(10, 10, "0.002").build(),
            span("y", "x").llm("openai", "gpt-4o").at(7, 1).usage(10, 10, "0.004").build());

    ChainRollupResult result = ChainRollup.compute(spans);

    assertThat(result.summary().spanCount()).isEqualTo(4);
    assertThat(result.summary().rootSpanId()).isEqualTo(id("root"));
    assertThat(result.roots())
        .extracting(n -> n.span().name())
        .containsExactly("invoke_agent a", "orphan", "x");
    // x (earliest on the cycle) becomes a root with y below it: y carries usage, so x is a roll-up
    assertThat(result.summary().costUsd()).isEqualTo(usd("0.005"));
  }

  @Test
  void recursiveAgent_inclusiveCostCountsEachCallOnce() {
    List<AgentSpan> spans =
        List.of(
            span("outer", null).agent("solver").build(),
            span("inner", "outer").agent("solver").at(1, 10).build(),
            span("call", "inner").llm("openai", "gpt-4o").at(2, 1).usage(10, 10, "0.01").build());

    assertThat(ChainRollup.compute(spans).byAgent())
        .singleElement()
        .satisfies(a -> assertThat(a.inclusiveCostUsd()).isEqualTo(usd("0.01")));
  }

  @Test
  void deepChain_ofTenThousandNestedSpans_doesNotOverflow() {
    List<AgentSpan> spans = new ArrayList<>();
    String parent = null;
    for (int i = 0; i < 10_000; i++) {
      String label = "s" + i;
      spans.add(
          span(label, parent).llm("openai", "gpt-4o").at(i, 1).usage(1, 1, "0.000001").build());
      parent = label;
    }

    ChainRollupResult result = ChainRollup.compute(spans);

    assertThat(result.summary().llmCalls()).isEqualTo(1); // only the deepest carries no usage below
    assertThat(result.summary().costUsd()).isEqualTo(usd("0.000001"));
  }

  @Test
  void spansOfTwoTraces_areRejected() {
    assertThatThrownBy(
            () ->
                ChainRollup.compute(
                    List.of(
                        span("a", null).build(),
                        span("b", null).trace("1af7651916cd43dd8448eb211c80319c").build())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
