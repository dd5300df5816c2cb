package io.agentledger.store;

import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ModelCost;
import java.math.BigDecimal;
import java.util.List;

/**
 * A conversation's totals over all its chains.
 *
 * @param costComplete false when any of its chains is incomplete
 * @param byAgent per attributed agent; {@code inclusiveCostUsd} equals {@code exclusiveCostUsd}
 *     here (a session has no single tree)
 */
public record SessionReport(
    String sessionId,
    BigDecimal costUsd,
    boolean costComplete,
    int chains,
    List<AgentCost> byAgent,
    List<ModelCost> byModel,
    List<String> traceIds) {

  /** Validates the components. */
  public SessionReport {
    byAgent = List.copyOf(byAgent);
    byModel = List.copyOf(byModel);
    traceIds = List.copyOf(traceIds);
  }
}
