package io.agentledger.core.rollup;

import java.math.BigDecimal;

/** One model's share of a chain; {@code unpricedCalls} of its calls have no known cost. */
public record ModelCost(
    String provider,
    String model,
    BigDecimal costUsd,
    int llmCalls,
    UsageTotals usage,
    int unpricedCalls) {}
