package io.agentledger.store.duckdb;

import io.agentledger.core.rollup.ChainStatus;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.UsageTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps a chain summary to a row of the {@code chains} table and back. */
final class ChainRows {

  private static final String UPSERT =
      "INSERT OR REPLACE INTO chains VALUES" + " (" + Database.placeholders(26) + ")";

  private ChainRows() {}

  /** Inserts the summary, replacing the chain's earlier one. */
  static void upsert(Connection c, ChainSummary summary) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      int i = 1;
      ps.setString(i++, summary.project());
      ps.setString(i++, summary.traceId());
      ps.setString(i++, summary.rootSpanId());
      ps.setString(i++, summary.name());
      ps.setString(i++, summary.service());
      ps.setString(i++, summary.serviceVersion());
      ps.setString(i++, summary.agent());
      ps.setString(i++, summary.sessionId());
      ps.setString(i++, summary.userId());
      ps.setLong(i++, summary.startEpochNanos());
      ps.setLong(i++, summary.endEpochNanos());
      ps.setInt(i++, summary.spanCount());
      ps.setInt(i++, summary.llmCalls());
      ps.setInt(i++, summary.toolCalls());
      ps.setInt(i++, summary.errorCount());
      ps.setLong(i++, summary.usage().inputTokens());
      ps.setLong(i++, summary.usage().outputTokens());
      ps.setLong(i++, summary.usage().cacheReadTokens());
      ps.setLong(i++, summary.usage().cacheWriteTokens());
      ps.setLong(i++, summary.usage().reasoningTokens());
      ps.setBigDecimal(i++, summary.costUsd());
      ps.setBoolean(i++, summary.costComplete());
      ps.setInt(i++, summary.unpricedCalls());
      ps.setString(i++, summary.status().wireName());
      ps.setBigDecimal(i++, summary.toolCostUsd());
      ps.setString(i, summary.workflowId());
      ps.executeUpdate();
    }
  }

  /** Reads the row at the cursor of a {@code SELECT * FROM chains}. */
  static ChainSummary read(ResultSet rs) throws SQLException {
    return new ChainSummary(
        rs.getString("project"),
        rs.getString("trace_id"),
        rs.getString("root_span_id"),
        rs.getString("name"),
        rs.getString("service"),
        rs.getString("service_version"),
        rs.getString("agent"),
        rs.getString("session_id"),
        rs.getString("user_id"),
        rs.getLong("start_ns"),
        rs.getLong("end_ns"),
        rs.getInt("span_count"),
        rs.getInt("llm_calls"),
        rs.getInt("tool_calls"),
        rs.getInt("error_count"),
        new UsageTotals(
            rs.getLong("input_tokens"),
            rs.getLong("output_tokens"),
            rs.getLong("cache_read_tokens"),
            rs.getLong("cache_write_tokens"),
            rs.getLong("reasoning_tokens")),
        rs.getBigDecimal("cost_usd"),
        rs.getBoolean("cost_complete"),
        rs.getInt("unpriced_calls"),
        ChainStatus.fromWireName(rs.getString("status")),
        rs.getBigDecimal("tool_cost_usd"),
        rs.getString("workflow_id"));
  }
}
