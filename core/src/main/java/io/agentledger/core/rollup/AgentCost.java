package io.agentledger.core.rollup;

import java.math.BigDecimal;

/**
 * One agent's share of a chain.
 *
 * @param exclusiveCostUsd cost of the calls whose nearest agent is this one (model calls and priced
 *     tool calls)
 * @param inclusiveCostUsd cost of every counted call under any span of this agent (each call once,
 *     even when the agent calls itself)
 * @param usage usage of the calls attributed exclusively to this agent
 * @param toolCostUsd the part of {@code exclusiveCostUsd} priced by the project's tool and sandbox
 *     prices
 */
public record AgentCost(
    String agent,
    BigDecimal exclusiveCostUsd,
    BigDecimal inclusiveCostUsd,
    int llmCalls,
    int toolCalls,
    UsageTotals usage,
    int unpricedCalls,
    BigDecimal toolCostUsd) {

  /** An agent's share without tool costs. */
  public AgentCost(
      String agent,
      BigDecimal exclusiveCostUsd,
      BigDecimal inclusiveCostUsd,
      int llmCalls,
      int toolCalls,
      UsageTotals usage,
      int unpricedCalls) {
    this(
        agent,
        exclusiveCostUsd,
        inclusiveCostUsd,
        llmCalls,
        toolCalls,
        usage,
        unpricedCalls,
        Accumulation.ZERO);
  }
}
