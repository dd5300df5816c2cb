package io.agentledger.store;

import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ModelCost;
import java.math.BigDecimal;
import java.util.List;

/**
 * The totals of a group of chains: a conversation (session), or a workflow run (then {@code
 * sessionId} is the workflow id).
 *
 * @param sessionId the session (conversation) id, or the workflow run id
 * @param costUsd the sum of its chains' costs, in USD (model calls and priced tool calls)
 * @param costComplete false when any of its chains is incomplete
 * @param chains how many chains the session has (at least one)
 * @param byAgent per attributed agent, most expensive first; {@code inclusiveCostUsd} equals {@code
 *     exclusiveCostUsd} here (a session has no single tree)
 * @param byModel per provider and model, most expensive first
 * @param traceIds its chains' trace ids, oldest chain first
 * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
 */
public record SessionReport(
    String sessionId,
    BigDecimal costUsd,
    boolean costComplete,
    int chains,
    List<AgentCost> byAgent,
    List<ModelCost> byModel,
    List<String> traceIds,
    BigDecimal toolCostUsd) {

  /**
   * Validates the components.
   *
   * @param sessionId the session (conversation) id, or the workflow run id
   * @param costUsd the sum of its chains' costs, in USD (model calls and priced tool calls)
   * @param costComplete false when any of its chains is incomplete
   * @param chains how many chains the session has (at least one)
   * @param byAgent per attributed agent, most expensive first; {@code inclusiveCostUsd} equals
   *     {@code exclusiveCostUsd} here (a session has no single tree)
   * @param byModel per provider and model, most expensive first
   * @param traceIds its chains' trace ids, oldest chain first
   * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
   */
  public SessionReport {
    byAgent = List.copyOf(byAgent);
    byModel = List.copyOf(byModel);
    traceIds = List.copyOf(traceIds);
  }
}
