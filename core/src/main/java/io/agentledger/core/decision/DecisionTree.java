package io.agentledger.core.decision;

import io.agentledger.core.rollup.ChainRollupResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The decision tree of one chain.
 *
 * @param traceId the chain
 * @param nodes every node, depth first ({@link DecisionNode#seq} is the index), children in time
 *     order
 * @param edges every typed edge, ordered by the target's {@code seq} (so a range of nodes comes
 *     with the edges that enter it)
 */
public record DecisionTree(String traceId, List<DecisionNode> nodes, List<DecisionEdge> edges) {

  public DecisionTree {
    Objects.requireNonNull(traceId, "traceId");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /**
   * Builds the tree of a chain from its roll-up, whose tree is already well formed (orphans and cut
   * parent cycles are extra roots), and whose own and total costs the nodes carry unchanged.
   *
   * @param rollup the chain's roll-up
   * @return the chain's decision tree
   */
  public static DecisionTree of(ChainRollupResult rollup) {
    return DecisionTreeBuilder.build(rollup);
  }

  /** The agent nodes: one per run of an agent, depth first. */
  public List<DecisionNode> runs() {
    return nodes.stream().filter(n -> n.kind() == NodeKind.AGENT).toList();
  }

  /**
   * The nodes of one agent run in time order (start time, then tree order): the agent node first,
   * then everything it did that no nested agent run did.
   *
   * @param runId the agent node's id
   * @return the run's nodes
   */
  public List<DecisionNode> runNodes(String runId) {
    List<DecisionNode> out = new ArrayList<>();
    for (DecisionNode n : nodes) {
      if (n.runId().equals(runId)) {
        out.add(n);
      }
    }
    out.sort(
        Comparator.comparing((DecisionNode n) -> !n.id().equals(runId))
            .thenComparingLong(DecisionNode::startEpochNanos)
            .thenComparingInt(DecisionNode::seq));
    return out;
  }

  /**
   * The nodes after {@code afterSeq} (at most {@code limit}) and the edges that enter them.
   *
   * @param afterSeq the {@code seq} of the last node already seen, -1 for the first page
   * @param limit most nodes on the page
   * @return the page
   */
  public DecisionTreePage page(int afterSeq, int limit) {
    int from = Math.max(0, afterSeq + 1);
    int to = (int) Math.min(nodes.size(), (long) from + Math.max(1, limit));
    List<DecisionNode> slice = from >= to ? List.of() : nodes.subList(from, to);
    Set<String> ids = new HashSet<>(slice.size() * 2);
    slice.forEach(n -> ids.add(n.id()));
    List<DecisionEdge> entering = edges.stream().filter(e -> ids.contains(e.target())).toList();
    return new DecisionTreePage(
        traceId,
        slice,
        entering,
        nodes.size(),
        to < nodes.size() && !slice.isEmpty() ? DecisionTreePage.cursorAfter(to - 1) : null);
  }
}
