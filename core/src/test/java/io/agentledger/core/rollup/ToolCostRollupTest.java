package io.agentledger.core.rollup;

import static io.agentledger.core.testing.TestSpans.id;
import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.Cost;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tool and sandbox costs in a chain's totals: counted once, shown apart. */
class ToolCostRollupTest {

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(Cost.SCALE);
  }

  /**
   * coder (agent, reports the roll-up of its model calls) → chat $0.01, web_search tool $0.005,
   * sandbox tool $0.02 → (inside the sandbox) chat $0.003.
   */
  private static List<AgentSpan> chain() {
    return List.of(
        span("coder", null).agent("coder").at(0, 1000).usage(1500, 300, "0.013").build(),
        span("chat", "coder").llm("openai", "gpt-4o").at(10, 100).usage(1000, 200, "0.01").build(),
        span("search", "coder").tool("web_search").at(120, 50).toolCost("0.005").build(),
        span("sandbox", "coder").tool("sandbox").at(200, 500).toolCost("0.02").build(),
        span("inner", "sandbox")
            .llm("openai", "gpt-4o-mini")
            .at(210, 100)
            .usage(500, 100, "0.003")
            .build());
  }

  @Test
  void toolCosts_areInTheTotalOnce_andShownApart() {
    ChainRollupResult r = ChainRollup.compute(chain());

    // 0.01 + 0.003 (model calls) + 0.005 + 0.02 (tools) = 0.038; the coder's 0.013 is a roll-up.
    assertThat(r.summary().costUsd()).isEqualTo(usd("0.038"));
    assertThat(r.summary().toolCostUsd()).isEqualTo(usd("0.025"));
    assertThat(r.summary().costComplete()).isTrue();
    assertThat(r.summary().llmCalls()).isEqualTo(2);
    assertThat(r.summary().toolCalls()).isEqualTo(2);
    assertThat(r.countedSpanIds())
        .containsExactlyInAnyOrder(id("chat"), id("search"), id("sandbox"), id("inner"));
    // Model costs by model only: tools never appear as models.
    assertThat(r.byModel()).extracting(ModelCost::model).containsOnly("gpt-4o", "gpt-4o-mini");

    AgentCost coder = r.byAgent().get(0);
    assertThat(coder.agent()).isEqualTo("coder");
    assertThat(coder.exclusiveCostUsd()).isEqualTo(usd("0.038"));
    assertThat(coder.toolCostUsd()).isEqualTo(usd("0.025"));
    assertThat(coder.inclusiveCostUsd()).isEqualTo(usd("0.038"));
  }

  @Test
  void sandboxWithAModelCallInside_keepsItsOwnCost_andItsTreeTotalIncludesBoth() {
    ChainRollupResult r = ChainRollup.compute(chain());

    TreeNode sandbox =
        r.roots().get(0).children().stream()
            .filter(n -> n.span().spanId().equals(id("sandbox")))
            .findFirst()
            .orElseThrow();
    assertThat(sandbox.costUsd()).isEqualTo(usd("0.02"));
    assertThat(sandbox.totalCostUsd()).isEqualTo(usd("0.023"));
    assertThat(r.roots().get(0).totalCostUsd()).isEqualTo(usd("0.038"));
  }

  @Test
  void toolPricedPerUnitWithoutUnits_makesTheChainIncomplete() {
    ChainRollupResult r =
        ChainRollup.compute(
            List.of(
                span("a", null).agent("a").build(),
                span("t", "a").tool("scrape").unknownToolCost().build()));

    assertThat(r.summary().costComplete()).isFalse();
    assertThat(r.summary().unpricedCalls()).isEqualTo(1);
    assertThat(r.summary().costUsd()).isEqualTo(usd("0"));
    assertThat(r.summary().toolCostUsd()).isEqualTo(usd("0"));
  }

  @Test
  void duplicatedToolSpan_countsOnce() {
    List<AgentSpan> spans = new java.util.ArrayList<>(chain());
    spans.add(chain().get(2));

    assertThat(ChainRollup.compute(spans).summary().toolCostUsd()).isEqualTo(usd("0.025"));
  }

  @Test
  void workflowId_comesFromTheRoot_elseAnySpan() {
    ChainRollupResult fromChild =
        ChainRollup.compute(
            List.of(
                span("root", null).agent("a").build(),
                span("act", "root").attributes(Map.of("temporalWorkflowID", "order-42")).build()));
    ChainRollupResult none = ChainRollup.compute(chain());

    assertThat(fromChild.summary().workflowId()).isEqualTo("order-42");
    assertThat(none.summary().workflowId()).isEmpty();
  }
}
