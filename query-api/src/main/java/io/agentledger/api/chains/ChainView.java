package io.agentledger.api.chains;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.agentledger.api.http.Views;
import java.util.List;

/**
 * {@code GET /chains/{traceId}}: the summary fields, the breakdowns and the cost tree.
 *
 * @param treeSpans spans in {@code tree}: {@code spanCount} unless the tree was cut at {@code
 *     maxSpans}
 * @param treeTruncated true when {@code tree} leaves spans out (the nodes that lost children say
 *     how many in {@code omittedChildren}); totals and breakdowns always cover every span
 */
public record ChainView(
    @JsonUnwrapped Views.ChainSummaryView summary,
    List<Views.AgentCostView> byAgent,
    List<Views.ModelCostView> byModel,
    List<TreeNodeView> tree,
    int treeSpans,
    boolean treeTruncated) {}
