/**
 * Aggregated paths: the prefix tree of the step sequences an agent's runs took, built from stored
 * per-path groups ({@link io.agentledger.store.paths.PathGroup}) so a query never reads every run.
 * The rules live here once, for both adapters and the query API: {@link
 * io.agentledger.store.paths.PathTrees} merges groups into the tree, folds rare branches and
 * compares two versions; {@link io.agentledger.store.paths.LogHistogram} is the mergeable quantile
 * summary the adapters compute in SQL.
 */
@NullMarked
package io.agentledger.store.paths;

import org.jspecify.annotations.NullMarked;
