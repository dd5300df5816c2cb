package io.agentledger.core.rollup;

import java.math.BigDecimal;

/**
 * One chain (trace) in a line: what {@code GET /chains} lists.
 *
 * @param costUsd the chain's cost without double counting; the sum of the known costs only, model
 *     calls and priced tool calls alike
 * @param costComplete false when a counted span's cost is unknown (see {@code unpricedCalls})
 * @param status {@link ChainStatus#ERROR} when the root span failed, else {@link ChainStatus#OK}
 * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
 * @param workflowId the workflow run (Temporal workflow, Inngest run, LangGraph thread) the chain
 *     belongs to, or empty
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
    ChainStatus status,
    BigDecimal toolCostUsd,
    String workflowId) {

  public ChainSummary {
    toolCostUsd = toolCostUsd == null ? Accumulation.ZERO : toolCostUsd;
    workflowId = workflowId == null ? "" : workflowId;
  }

  /** A chain without tool costs or workflow run. */
  public ChainSummary(
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
    this(
        project,
        traceId,
        rootSpanId,
        name,
        service,
        serviceVersion,
        agent,
        sessionId,
        userId,
        startEpochNanos,
        endEpochNanos,
        spanCount,
        llmCalls,
        toolCalls,
        errorCount,
        usage,
        costUsd,
        costComplete,
        unpricedCalls,
        status,
        Accumulation.ZERO,
        "");
  }

  public long durationMillis() {
    return Math.max(0, endEpochNanos - startEpochNanos) / 1_000_000;
  }
}
