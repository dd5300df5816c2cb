package io.agentledger.core.rollup;

import static io.agentledger.core.testing.TestSpans.id;
import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.span.AgentSpan;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlatTreeTest {

  /** root → (agent → (llm $0.30, tool), llm $0.45), and an orphan whose parent never arrived. */
  private static final List<AgentSpan> SPANS =
      List.of(
          span("root", null).trace("t1").agent("boss").at(0, 100).build(),
          span("agent", "root").trace("t1").agent("helper").at(1, 50).build(),
          span("llm1", "agent")
              .trace("t1")
              .llm("openai", "gpt-4o")
              .usage(1000, 200, "0.30")
              .at(2, 10)
              .build(),
          span("tool", "agent").trace("t1").tool("search").at(20, 5).build(),
          span("llm2", "root")
              .trace("t1")
              .llm("openai", "gpt-4o")
              .usage(2000, 300, "0.45")
              .at(60, 10)
              .build(),
          span("orphan", "missing").trace("t1").tool("fetch").at(70, 1).build());

  @Test
  void flattensDepthFirst_withDepthsChildCountsAndSubtreeEnds() {
    FlatTree tree = FlatTree.of(ChainRollup.compute(SPANS), SPANS.size());

    assertThat(tree.nodes())
        .extracting(FlatTree.Node::spanId)
        .containsExactly(id("root"), id("agent"), id("llm1"), id("tool"), id("llm2"), id("orphan"));
    assertThat(tree.nodes()).extracting(FlatTree.Node::seq).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(tree.nodes()).extracting(FlatTree.Node::depth).containsExactly(0, 1, 2, 2, 1, 0);
    assertThat(tree.nodes())
        .extracting(FlatTree.Node::childCount)
        .containsExactly(2, 2, 0, 0, 0, 0);
    assertThat(tree.nodes())
        .extracting(FlatTree.Node::subtreeEnd)
        .containsExactly(4, 3, 2, 3, 4, 5);
    assertThat(tree.nodes().get(0).totalCostUsd()).isEqualByComparingTo("0.75");
    assertThat(tree.nodes().get(1).totalCostUsd()).isEqualByComparingTo("0.30");
    assertThat(tree.nodes().get(1).agent()).isEqualTo("helper");
    assertThat(tree.head().nodeCount()).isEqualTo(6);
    assertThat(tree.head().spanRows()).isEqualTo(6);
  }

  @Test
  void nodesAndHeads_surviveTheirStoredJson() {
    FlatTree tree = FlatTree.of(ChainRollup.compute(SPANS), SPANS.size());
    for (FlatTree.Node n : tree.nodes()) {
      assertThat(FlatTree.readNode(FlatTree.write(n))).isEqualTo(n);
    }
    FlatTree.Head head = FlatTree.readHead(FlatTree.write(tree.head()));
    assertThat(head).isEqualTo(tree.head());
    assertThat(head.byModel().get(0).costUsd())
        .isEqualTo(new BigDecimal("0.75").setScale(head.byModel().get(0).costUsd().scale()));
  }
}
