package io.agentledger.api.http;

import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.ModelCost;
import io.agentledger.core.rollup.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;

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

  /** A chain in a line, as {@code GET /chains} lists it. */
  public record ChainSummaryView(
      String traceId,
      String project,
      String rootSpanId,
      String name,
      String service,
      String serviceVersion,
      String agent,
      String sessionId,
      String userId,
      Instant startTime,
      Instant endTime,
      long durationMs,
      int spanCount,
      int llmCalls,
      int toolCalls,
      int errorCount,
      Usage usage,
      BigDecimal costUsd,
      boolean costComplete,
      int unpricedCalls,
      String status) {

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
          s.status().wireName());
    }
  }

  /** One agent's share. {@code agent} is null for cost outside any agent. */
  public record AgentCostView(
      String agent,
      BigDecimal exclusiveCostUsd,
      BigDecimal inclusiveCostUsd,
      int llmCalls,
      int toolCalls,
      Usage usage,
      int unpricedCalls) {

    public static AgentCostView of(AgentCost a) {
      return new AgentCostView(
          Json.orNull(a.agent()),
          Json.usd(a.exclusiveCostUsd()),
          Json.usd(a.inclusiveCostUsd()),
          a.llmCalls(),
          a.toolCalls(),
          Usage.of(a.usage()),
          a.unpricedCalls());
    }
  }

  public record ModelCostView(
      String provider,
      String model,
      BigDecimal costUsd,
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
