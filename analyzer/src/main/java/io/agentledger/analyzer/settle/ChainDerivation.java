package io.agentledger.analyzer.settle;

import java.util.List;

/**
 * Something derived from chains when they settle and stored beside their roll-ups — a decision
 * tree, the runs of its agents — so queries and detectors read it instead of span trees.
 *
 * <p>Derivations are idempotent: a chain that receives a late span settles again, and what is
 * derived from it then replaces what was stored. A derivation throws a retryable {@link
 * io.agentledger.store.StoreException} when the store is briefly unavailable (the settler retries
 * the whole round) and a permanent one for a chain the store refuses (the settler skips it).
 */
public interface ChainDerivation {

  /**
   * A short name for logs and metrics, e.g. {@code decisions}.
   *
   * @return the name
   */
  String name();

  /**
   * Derives and stores what the chains yield.
   *
   * @param project the project (tenant) all chains belong to
   * @param chains the chains just settled, with their spans and roll-ups
   */
  void derive(String project, List<SettledChain> chains);
}
