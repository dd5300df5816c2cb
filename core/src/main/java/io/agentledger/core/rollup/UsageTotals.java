package io.agentledger.core.rollup;

import io.agentledger.core.span.Usage;

/** Summed token counts (the five counters the API reports). */
public record UsageTotals(
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long reasoningTokens) {

  public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0);

  public static UsageTotals of(Usage usage) {
    return new UsageTotals(
        usage.inputTokens(),
        usage.outputTokens(),
        usage.cacheReadTokens(),
        usage.cacheWriteTokens(),
        usage.reasoningTokens());
  }

  public UsageTotals plus(UsageTotals o) {
    return new UsageTotals(
        inputTokens + o.inputTokens,
        outputTokens + o.outputTokens,
        cacheReadTokens + o.cacheReadTokens,
        cacheWriteTokens + o.cacheWriteTokens,
        reasoningTokens + o.reasoningTokens);
  }

  public UsageTotals plus(Usage usage) {
    return plus(of(usage));
  }
}
