package io.agentledger.api.http;

import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.ModelCost;
import io.agentledger.core.rollup.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The JSON shapes shared by several endpoints, with the field names of the API contract. */
public final class Views {

  private Views() {}

  public record Usage(
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long cacheWriteTokens,
      long reasoningTokens) {

    public static Usage of(UsageTotals u) {
      return new Usage(
          u.inputTokens(),
          u.outputTokens(),
          u.cacheReadTokens(),
          u.cacheWriteTokens(),
          u.reasoningTokens());
    }

    public static Usage of(io.agentledger.core.span.Usage u) {
      return new Usage(
          u.inputTokens(),
          u.outputTokens(),
          u.cacheReadTokens(),
          u.cacheWriteTokens(),
          u.reasoningTokens());
    }
  }

  /**
   * A chain in a line, as {@code GET /chains} lists it.
   *
   * @param costUsd every known cost of the chain: model calls and priced tool calls
   * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
   * @param workflowId the workflow run (Temporal, Inngest, LangGraph thread) it belongs to
   */
  public record ChainSummaryView(
      String traceId,
      String project,
      String rootSpanId,
      String name,
      @Nullable String service,
      @Nullable String serviceVersion,
      @Nullable String agent,
      @Nullable String sessionId,
      @Nullable String userId,
      Instant startTime,
      Instant endTime,
      long durationMs,
      int spanCount,
      int llmCalls,
      int toolCalls,
      int errorCount,
      Usage usage,
      @Nullable BigDecimal costUsd,
      boolean costComplete,
      int unpricedCalls,
      String status,
      BigDecimal toolCostUsd,
      @Nullable String workflowId) {

    public static ChainSummaryView of(ChainSummary s) {
      return new ChainSummaryView(
          s.traceId(),
          s.project(),
          s.rootSpanId(),
          s.name(),
          Json.orNull(s.service()),
          Json.orNull(s.serviceVersion()),
          Json.orNull(s.agent()),
          Json.orNull(s.sessionId()),
          Json.orNull(s.userId()),
          Json.instant(s.startEpochNanos()),
          Json.instant(s.endEpochNanos()),
          s.durationMillis(),
          s.spanCount(),
          s.llmCalls(),
          s.toolCalls(),
          s.errorCount(),
          Usage.of(s.usage()),
          Json.usd(s.costUsd()),
          s.costComplete(),
          s.unpricedCalls(),
          s.status().wireName(),
          Json.usdKnown(s.toolCostUsd()),
          Json.orNull(s.workflowId()));
    }
  }

  /**
   * One agent's share. {@code agent} is null for cost outside any agent; {@code toolCostUsd} is the
   * part of {@code exclusiveCostUsd} priced by tool and sandbox prices.
   */
  public record AgentCostView(
      @Nullable String agent,
      @Nullable BigDecimal exclusiveCostUsd,
      @Nullable BigDecimal inclusiveCostUsd,
      int llmCalls,
      int toolCalls,
      Usage usage,
      int unpricedCalls,
      BigDecimal toolCostUsd) {

    public static AgentCostView of(AgentCost a) {
      return new AgentCostView(
          Json.orNull(a.agent()),
          Json.usd(a.exclusiveCostUsd()),
          Json.usd(a.inclusiveCostUsd()),
          a.llmCalls(),
          a.toolCalls(),
          Usage.of(a.usage()),
          a.unpricedCalls(),
          Json.usdKnown(a.toolCostUsd()));
    }
  }

  public record ModelCostView(
      @Nullable String provider,
      @Nullable String model,
      @Nullable BigDecimal costUsd,
      int llmCalls,
      Usage usage,
      int unpricedCalls) {

    public static ModelCostView of(ModelCost m) {
      return new ModelCostView(
          Json.orNull(m.provider()),
          Json.orNull(m.model()),
          Json.usd(m.costUsd()),
          m.llmCalls(),
          Usage.of(m.usage()),
          m.unpricedCalls());
    }
  }
}
