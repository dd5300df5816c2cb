package io.agentledger.store;

import io.agentledger.core.rollup.FlatTree;
import java.util.List;
import java.util.Optional;

/**
 * Cost trees of large settled chains ({@link FlatTree}), stored when a chain settles and read a
 * level or a key range at a time, so {@code GET /chains/{traceId}} opens a 100,000-span tree lazily
 * and streams it whole without loading it.
 */
public interface CostTreeStore {

  /** Most nodes one {@link #costTreeNodes} call returns. */
  int MAX_NODES_PER_READ = 2_000;

  /**
   * Stores each chain's flat tree, replacing whatever was stored for that chain. Idempotent.
   *
   * @param project the project (tenant) the chains belong to
   * @param trees the trees, at most one per trace id
   */
  void replaceCostTrees(String project, List<FlatTree> trees);

  /**
   * The head of a chain's stored tree.
   *
   * @param project the project (tenant)
   * @param traceId the chain
   * @return node count and breakdowns, or empty when no tree is stored for the chain
   */
  Optional<FlatTree.Head> costTreeHead(String project, String traceId);

  /**
   * One node of a chain's stored tree, by span id.
   *
   * @param project the project (tenant)
   * @param traceId the chain
   * @param spanId the span
   * @return the node, or empty when the tree or the span is not stored
   */
  Optional<FlatTree.Node> costTreeNode(String project, String traceId, String spanId);

  /**
   * Nodes of a chain's stored tree numbered {@code fromSeq..toSeq} at depths {@code
   * minDepth..maxDepth}, in number (depth-first) order, at most {@code limit}.
   *
   * @param project the project (tenant)
   * @param traceId the chain
   * @param fromSeq the first number, inclusive
   * @param toSeq the last number, inclusive
   * @param minDepth the shallowest depth returned (no node of the range is shallower when the range
   *     is a subtree)
   * @param maxDepth the deepest depth returned ({@link Integer#MAX_VALUE} for all)
   * @param limit most nodes, 1..{@link #MAX_NODES_PER_READ}
   * @return the first {@code limit} such nodes (fewer only when no more match)
   */
  List<FlatTree.Node> costTreeNodes(
      String project,
      String traceId,
      int fromSeq,
      int toSeq,
      int minDepth,
      int maxDepth,
      int limit);
}
