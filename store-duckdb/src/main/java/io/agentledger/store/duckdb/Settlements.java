package io.agentledger.store.duckdb;

import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.store.Settlement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * Saves settled chains: replaces their summaries and rewrites the settled fields of their spans
 * ({@link Settlement}) in one {@code UPDATE ... FROM} a temporary table, limited to the batches
 * that hold those chains.
 */
final class Settlements {

  private static final String UPDATES = "span_updates";

  private final Database db;

  private Settlements(Database db) {
    this.db = db;
  }

  /** Creates the writer's temporary table. */
  static Settlements open(Database db) {
    db.setUpEveryWriter(
        "preparing settlements",
        w -> {
          try (Statement st = w.createStatement()) {
            st.execute(
                "CREATE TEMP TABLE "
                    + UPDATES
                    + " (project VARCHAR, trace_id VARCHAR, span_id VARCHAR, billing_role VARCHAR,"
                    + " attributed_agent VARCHAR, chain_session_id VARCHAR, chain_user_id VARCHAR)");
          }
        });
    return new Settlements(db);
  }

  void save(List<ChainRollupResult> rollups) {
    if (rollups.isEmpty()) {
      return;
    }
    db.writeAll(
        "saving " + rollups.size() + " chain roll-ups",
        w -> {
          stageUpdates(w, rollups);
          Database.runInTransaction(
              w,
              tx -> {
                for (ChainRollupResult r : rollups) {
                  ChainRows.upsert(tx, r.summary());
                }
                applyUpdates(tx);
              });
        });
  }

  private static void stageUpdates(DuckDBConnection w, List<ChainRollupResult> rollups)
      throws SQLException {
    try (Statement st = w.createStatement()) {
      st.execute("DELETE FROM " + UPDATES);
    }
    try (DuckDBAppender appender = w.createAppender("temp", "main", UPDATES)) {
      for (ChainRollupResult r : rollups) {
        for (Settlement.Settled settled : Settlement.of(r)) {
          Settlement s = settled.settlement();
          appender.beginRow();
          appender.append(settled.span().project());
          appender.append(settled.span().traceId());
          appender.append(settled.span().spanId());
          appender.append(s.role().wireName());
          appender.append(s.attributedAgent());
          appender.append(s.sessionId());
          appender.append(s.userId());
          appender.endRow();
        }
      }
      appender.flush();
    }
  }

  private static void applyUpdates(DuckDBConnection tx) throws SQLException {
    long @Nullable [] range = batchRangeOfUpdates(tx);
    if (range == null) {
      return;
    }
    try (PreparedStatement ps =
        tx.prepareStatement(
            "UPDATE spans SET billing_role = u.billing_role,"
                + " attributed_agent = u.attributed_agent,"
                + " chain_session_id = u.chain_session_id,"
                + " chain_user_id = u.chain_user_id FROM "
                + UPDATES
                + " u WHERE spans.batch_seq BETWEEN ? AND ?"
                + " AND spans.project = u.project AND spans.trace_id = u.trace_id"
                + " AND spans.span_id = u.span_id")) {
      ps.setLong(1, range[0]);
      ps.setLong(2, range[1]);
      ps.executeUpdate();
    }
  }

  private static long @Nullable [] batchRangeOfUpdates(DuckDBConnection tx) throws SQLException {
    try (Statement st = tx.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT min(t.first_batch), max(t.last_batch) FROM trace_index t JOIN"
                    + " (SELECT DISTINCT project, trace_id FROM "
                    + UPDATES
                    + ") u ON t.project = u.project AND t.trace_id = u.trace_id")) {
      return rs.next() && rs.getObject(1) != null
          ? new long[] {rs.getLong(1), rs.getLong(2)}
          : null;
    }
  }
}
