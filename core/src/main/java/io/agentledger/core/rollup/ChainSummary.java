package io.agentledger.core.rollup;

import java.math.BigDecimal;

/**
 * One chain (trace) in a line: what {@code GET /chains} lists.
 *
 * @param costUsd the chain's cost without double counting; the sum of the known costs only
 * @param costComplete false when a counted span's cost is unknown (see {@code unpricedCalls})
 * @param status {@link ChainStatus#ERROR} when the root span failed, else {@link ChainStatus#OK}
 */
public record ChainSummary(
    String project,
    String traceId,
    String rootSpanId,
    String name,
    String service,
    String serviceVersion,
    String agent,
    String sessionId,
    String userId,
    long startEpochNanos,
    long endEpochNanos,
    int spanCount,
    int llmCalls,
    int toolCalls,
    int errorCount,
    UsageTotals usage,
    BigDecimal costUsd,
    boolean costComplete,
    int unpricedCalls,
    ChainStatus status) {

  public long durationMillis() {
    return Math.max(0, endEpochNanos - startEpochNanos) / 1_000_000;
  }
}
