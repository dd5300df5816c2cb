package io.agentledger.store;

import static io.agentledger.core.testing.TestSpans.id;
import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.FlatTree;
import io.agentledger.core.span.AgentSpan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every adapter must do with stored cost trees ({@link CostTreeStore}): read a level or a
 * range of a tree in depth-first order, by span id, replaced when the chain settles again, per
 * project. Mixed into {@link SpanStoreContract}, so both adapters run it on a fresh store per test.
 */
public interface CostTreeContract {

  /** The fresh store of the current test. */
  SpanStore store();

  private static String trace(int n) {
    return String.format("%032x", 0xc0ffee000L + n);
  }

  /**
   * A root agent with {@code agents} sub-agents started in order, each with {@code calls} model
   * calls, the first of which has a tool beneath it.
   */
  private static FlatTree tree(String traceId, int agents, int calls) {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(span("root", null).trace(traceId).project("p").agent("boss").at(0, 100_000).build());
    for (int a = 0; a < agents; a++) {
      String agent = "a" + a;
      spans.add(span(agent, "root").trace(traceId).project("p").agent(agent).at(1 + a, 50).build());
      for (int c = 0; c < calls; c++) {
        spans.add(
            span(agent + "c" + c, agent)
                .trace(traceId)
                .project("p")
                .llm("openai", "gpt-4o")
                .usage(100, 10, "0.01")
                .at(1 + a + c, 5)
                .build());
      }
      spans.add(
          span(agent + "t", agent + "c0")
              .trace(traceId)
              .project("p")
              .tool("search")
              .at(2 + a, 1)
              .build());
    }
    return FlatTree.of(ChainRollup.compute(spans), spans.size());
  }

  private static List<FlatTree.Node> expected(
      FlatTree tree, int from, int to, int minDepth, int maxDepth, int limit) {
    return tree.nodes().stream()
        .filter(n -> n.seq() >= from && n.seq() <= to)
        .filter(n -> n.depth() >= minDepth && n.depth() <= maxDepth)
        .limit(limit)
        .toList();
  }

  @Test
  default void costTrees_readByLevelRangeAndSpan_replacedWhenResettled_perProject() {
    FlatTree larger = tree(trace(1), 4, 3);
    FlatTree smaller = tree(trace(1), 2, 2);
    FlatTree other = tree(trace(2), 1, 1);
    assertThat(larger.nodes()).hasSize(1 + 4 * (1 + 3 + 1));
    store().replaceCostTrees("p", List.of(larger, other));
    store().replaceCostTrees("p", List.of(smaller)); // re-settled: fewer nodes

    assertThat(store().costTreeHead("p", trace(1))).contains(smaller.head());
    assertThat(store().costTreeHead("p", trace(1)).orElseThrow().nodeCount()).isEqualTo(9);
    int max = Integer.MAX_VALUE;
    assertThat(store().costTreeNodes("p", trace(1), 0, 100, 0, max, 100))
        .isEqualTo(smaller.nodes());
    // Level 1 of the whole tree: the two agents, in start order, each knowing its children.
    List<FlatTree.Node> agents = store().costTreeNodes("p", trace(1), 0, 8, 1, 1, 100);
    assertThat(agents).extracting(FlatTree.Node::spanId).containsExactly(id("a0"), id("a1"));
    assertThat(agents).extracting(FlatTree.Node::childCount).containsExactly(2, 2);
    FlatTree.Node a1 = store().costTreeNode("p", trace(1), id("a1")).orElseThrow();
    assertThat(a1).isEqualTo(agents.get(1));
    assertThat(a1.subtreeEnd()).isEqualTo(8);
    // a1's subtree, two levels: its calls and the tool under the first.
    assertThat(store().costTreeNodes("p", trace(1), a1.seq() + 1, a1.subtreeEnd(), 2, 3, 100))
        .extracting(FlatTree.Node::spanId)
        .containsExactly(id("a1c0"), id("a1t"), id("a1c1"));
    assertThat(store().costTreeNodes("p", trace(1), 0, 8, 0, 1, 2))
        .isEqualTo(expected(smaller, 0, 8, 0, 1, 2));
    assertThat(store().costTreeNodes("p", trace(2), 0, 100, 0, max, 100)).isEqualTo(other.nodes());

    assertThat(store().costTreeNode("p", trace(1), id("a3"))).isEmpty(); // only in the older tree
    assertThat(store().costTreeHead("q", trace(1))).isEmpty();
    assertThat(store().costTreeNode("q", trace(1), id("a1"))).isEmpty();
    assertThat(store().costTreeNodes("q", trace(1), 0, 100, 0, max, 100)).isEmpty();
    assertThat(store().costTreeHead("p", trace(3))).isEmpty();
  }

  @Test
  default void costTrees_largeTree_readInPagesAndLevels_exactly() {
    FlatTree big = tree(trace(5), 60, 40); // 1 + 60 × 42 = 2,521 nodes: more than one read
    store().replaceCostTrees("p", List.of(big));
    int last = big.nodes().size() - 1;
    int max = Integer.MAX_VALUE;
    List<FlatTree.Node> whole = new ArrayList<>();
    int from = 0;
    while (from <= last) {
      List<FlatTree.Node> page =
          store()
              .costTreeNodes("p", trace(5), from, last, 0, max, CostTreeStore.MAX_NODES_PER_READ);
      assertThat(page).isNotEmpty();
      whole.addAll(page);
      from = page.get(page.size() - 1).seq() + 1;
    }
    assertThat(whole).isEqualTo(big.nodes());
    // The first two levels: the root and its 60 agents.
    assertThat(store().costTreeNodes("p", trace(5), 0, last, 0, 1, 2_000))
        .isEqualTo(expected(big, 0, last, 0, 1, 2_000))
        .hasSize(61);
    // Levels 2-3 from the middle of the tree, cut at a limit.
    assertThat(store().costTreeNodes("p", trace(5), 1_000, last, 2, 3, 50))
        .isEqualTo(expected(big, 1_000, last, 2, 3, 50))
        .hasSize(50);
    // Deeper than the level reads go: windows of the range.
    assertThat(store().costTreeNodes("p", trace(5), 7, last, 2, 40, 1_500))
        .isEqualTo(expected(big, 7, last, 2, 40, 1_500));
  }
}
