package io.agentledger.core.rollup;

import io.agentledger.core.span.BillingRole;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the roll-up derives from one chain's spans.
 *
 * @param roots the tree's roots: the true root first, then orphans whose parents have not arrived
 * @param countedSpanIds the spans whose usage counts toward the totals
 * @param billingCorrections spans whose per-span {@link BillingRole} decision the tree contradicts,
 *     with the role the tree gives them (stores apply these when a chain settles)
 */
public record ChainRollupResult(
    ChainSummary summary,
    List<AgentCost> byAgent,
    List<ModelCost> byModel,
    List<TreeNode> roots,
    Set<String> countedSpanIds,
    Map<String, BillingRole> billingCorrections) {}
