package io.agentledger.store;

import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import java.util.List;
import java.util.Optional;

/**
 * Decision trees of chains ({@link DecisionTree}), derived when a chain settles and read one page
 * at a time, so a 100,000-node tree is never loaded whole to answer a request.
 */
public interface DecisionTreeStore {

  /**
   * Stores each chain's tree, replacing whatever was stored for that chain (a re-settled chain gets
   * a new tree, possibly with fewer nodes). Idempotent.
   *
   * @param project the project (tenant) the chains belong to
   * @param trees the trees, at most one per trace id
   */
  void replaceDecisionTrees(String project, List<DecisionTree> trees);

  /**
   * A page of a chain's stored tree: the nodes numbered after {@code afterSeq}, at most {@code
   * limit}, with the edges that enter them.
   *
   * @param project the project (tenant)
   * @param traceId the chain
   * @param afterSeq the {@code seq} of the last node already read, -1 for the first page
   * @param limit most nodes on the page, at least 1
   * @return the page, or empty when no tree is stored for the chain in this project
   */
  Optional<DecisionTreePage> decisionTreePage(
      String project, String traceId, int afterSeq, int limit);
}
