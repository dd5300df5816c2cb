package io.agentledger.core.rollup;

import java.math.BigDecimal;

/**
 * One agent's share of a chain.
 *
 * @param exclusiveCostUsd cost of the model calls whose nearest agent is this one
 * @param inclusiveCostUsd cost of every counted call under any span of this agent (each call once,
 *     even when the agent calls itself)
 * @param usage usage of the calls attributed exclusively to this agent
 */
public record AgentCost(
    String agent,
    BigDecimal exclusiveCostUsd,
    BigDecimal inclusiveCostUsd,
    int llmCalls,
    int toolCalls,
    UsageTotals usage,
    int unpricedCalls) {}
