package io.agentledger.store.clickhouse;

import io.agentledger.core.rollup.ChainStatus;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.UsageTotals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** Maps a settled chain's summary to a row of the {@code chains} table and back. */
final class ChainRows {

  static final String INSERT =
      "INSERT INTO chains (Project, TraceId, RootSpanId, Name, Service, ServiceVersion, Agent,"
          + " SessionId, UserId, StartTime, EndTime, SpanCount, LlmCalls, ToolCalls, ErrorCount,"
          + " InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, ReasoningTokens,"
          + " CostUsd, CostComplete, UnpricedCalls, Status, ToolCostUsd, WorkflowId, Version)"
          + " VALUES ("
          + Sql.placeholders(27)
          + ")";

  static final String SELECT =
      "Project, TraceId, RootSpanId, Name, Service, ServiceVersion, Agent, SessionId, UserId,"
          + " toUnixTimestamp64Nano(StartTime) AS StartNs, toUnixTimestamp64Nano(EndTime) AS EndNs,"
          + " SpanCount, LlmCalls, ToolCalls, ErrorCount, InputTokens, OutputTokens,"
          + " CacheReadTokens, CacheWriteTokens, ReasoningTokens, CostUsd, CostComplete,"
          + " UnpricedCalls, Status, ToolCostUsd, WorkflowId";

  private ChainRows() {}

  static List<Object> values(ChainSummary c, long version) {
    return Arrays.asList(
        c.project(),
        c.traceId(),
        c.rootSpanId(),
        c.name(),
        c.service(),
        c.serviceVersion(),
        c.agent(),
        c.sessionId(),
        c.userId(),
        Sql.instant(c.startEpochNanos()),
        Sql.instant(c.endEpochNanos()),
        c.spanCount(),
        c.llmCalls(),
        c.toolCalls(),
        c.errorCount(),
        c.usage().inputTokens(),
        c.usage().outputTokens(),
        c.usage().cacheReadTokens(),
        c.usage().cacheWriteTokens(),
        c.usage().reasoningTokens(),
        c.costUsd(),
        c.costComplete(),
        c.unpricedCalls(),
        c.status().wireName(),
        c.toolCostUsd(),
        c.workflowId(),
        version);
  }

  /** Reads the row at the cursor of a result selected with {@link #SELECT}. */
  static ChainSummary read(ResultSet rs) throws SQLException {
    return new ChainSummary(
        rs.getString("Project"),
        rs.getString("TraceId"),
        rs.getString("RootSpanId"),
        rs.getString("Name"),
        rs.getString("Service"),
        rs.getString("ServiceVersion"),
        rs.getString("Agent"),
        rs.getString("SessionId"),
        rs.getString("UserId"),
        rs.getLong("StartNs"),
        rs.getLong("EndNs"),
        rs.getInt("SpanCount"),
        rs.getInt("LlmCalls"),
        rs.getInt("ToolCalls"),
        rs.getInt("ErrorCount"),
        new UsageTotals(
            rs.getLong("InputTokens"),
            rs.getLong("OutputTokens"),
            rs.getLong("CacheReadTokens"),
            rs.getLong("CacheWriteTokens"),
            rs.getLong("ReasoningTokens")),
        rs.getBigDecimal("CostUsd"),
        rs.getBoolean("CostComplete"),
        rs.getInt("UnpricedCalls"),
        ChainStatus.fromWireName(rs.getString("Status")),
        rs.getBigDecimal("ToolCostUsd"),
        rs.getString("WorkflowId"));
  }
}
