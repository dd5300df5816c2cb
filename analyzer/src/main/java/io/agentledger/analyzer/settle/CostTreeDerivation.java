package io.agentledger.analyzer.settle;

import io.agentledger.core.rollup.FlatTree;
import io.agentledger.store.CostTreeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stores the flat cost tree ({@link FlatTree}) of each settled chain of at least {@code minSpans}
 * spans, so {@code GET /chains/{traceId}?depth&parent} opens a large tree a level at a time and
 * streams it whole without rolling the chain up again. Smaller chains are rolled up from their
 * spans at request time, which is as fast as reading a stored tree. Trees are written in batches of
 * about {@link #BATCH_NODES} nodes.
 */
public final class CostTreeDerivation implements ChainDerivation {

  /** Chains with at least this many spans get a stored tree by default. */
  public static final int DEFAULT_MIN_SPANS = 1_000;

  /** Nodes buffered before a write. */
  static final int BATCH_NODES = 50_000;

  private final CostTreeStore store;
  private final int minSpans;

  /**
   * @param store where the trees are kept
   * @param minSpans the smallest chain (in stored spans) whose tree is stored
   */
  public CostTreeDerivation(CostTreeStore store, int minSpans) {
    this.store = Objects.requireNonNull(store, "store");
    this.minSpans = minSpans;
  }

  @Override
  public String name() {
    return "cost-trees";
  }

  @Override
  public void derive(String project, List<SettledChain> chains) {
    List<FlatTree> batch = new ArrayList<>();
    int nodes = 0;
    for (SettledChain chain : chains) {
      if (chain.spans().size() < minSpans) {
        continue;
      }
      FlatTree tree = FlatTree.of(chain.rollup(), chain.spans().size());
      batch.add(tree);
      nodes += tree.nodes().size();
      if (nodes >= BATCH_NODES) {
        store.replaceCostTrees(project, batch);
        batch = new ArrayList<>();
        nodes = 0;
      }
    }
    if (!batch.isEmpty()) {
      store.replaceCostTrees(project, batch);
    }
  }
}
