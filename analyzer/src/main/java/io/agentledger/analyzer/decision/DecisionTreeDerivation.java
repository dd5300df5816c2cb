package io.agentledger.analyzer.decision;

import io.agentledger.analyzer.settle.ChainDerivation;
import io.agentledger.analyzer.settle.SettledChain;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.store.DecisionTreeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Derives each settled chain's decision tree ({@link DecisionTree#of}) and stores it, replacing the
 * tree of an earlier settlement. Trees are written in batches of about {@link #BATCH_NODES} nodes,
 * so a round of many chains never holds every tree at once.
 */
public final class DecisionTreeDerivation implements ChainDerivation {

  /** Nodes buffered before a write. */
  static final int BATCH_NODES = 50_000;

  private final DecisionTreeStore store;

  /**
   * @param store where the trees are kept
   */
  public DecisionTreeDerivation(DecisionTreeStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public String name() {
    return "decisions";
  }

  @Override
  public void derive(String project, List<SettledChain> chains) {
    List<DecisionTree> batch = new ArrayList<>();
    int nodes = 0;
    for (SettledChain chain : chains) {
      DecisionTree tree = DecisionTree.of(chain.rollup());
      batch.add(tree);
      nodes += tree.nodes().size();
      if (nodes >= BATCH_NODES) {
        store.replaceDecisionTrees(project, batch);
        batch = new ArrayList<>();
        nodes = 0;
      }
    }
    if (!batch.isEmpty()) {
      store.replaceDecisionTrees(project, batch);
    }
  }
}
