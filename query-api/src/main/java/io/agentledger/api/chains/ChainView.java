package io.agentledger.api.chains;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.agentledger.api.http.Views;
import java.util.List;

/** {@code GET /chains/{traceId}}: the summary fields, the breakdowns and the cost tree. */
public record ChainView(
    @JsonUnwrapped Views.ChainSummaryView summary,
    List<Views.AgentCostView> byAgent,
    List<Views.ModelCostView> byModel,
    List<TreeNodeView> tree) {}
