package io.agentledger.store.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations: each file under {@code migrations/} runs once, in order, in its own
 * transaction, and is recorded in {@code schema_migrations}. Never edit a released file; add the
 * next one.
 */
final class Migrations {

  /** In order. A new migration is appended here and added as a resource. */
  static final List<String> FILES =
      List.of(
          "V001__spans_and_chains.sql",
          "V002__trace_index_by_trace.sql",
          "V003__decision_trees.sql",
          "V004__runs.sql",
          "V005__alerts_and_notifications.sql",
          "V006__anomaly_episodes.sql",
          "V007__regressions_reshaped.sql",
          "V008__tool_prices_and_workflows.sql",
          "V009__regression_episodes.sql",
          "V010__lease_claims.sql",
          "V011__cost_trees.sql",
          "V012__span_detail_and_resources.sql");

  private Migrations() {}

  static void apply(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
              + " name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)");
    }
    int current = 0;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
      rs.next();
      current = rs.getInt(1);
    }
    if (current > FILES.size()) {
      throw new SQLException(
          "the DuckDB file has schema version "
              + current
              + ", newer than this AgentLedger knows ("
              + FILES.size()
              + "); use a newer release");
    }
    for (int v = current + 1; v <= FILES.size(); v++) {
      String name = FILES.get(v - 1);
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(read(name));
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO schema_migrations (version, name) VALUES (?, ?)")) {
          ps.setInt(1, v);
          ps.setString(2, name);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private static String read(String name) throws SQLException {
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
      if (in == null) {
        throw new SQLException("migration " + name + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SQLException("cannot read migration " + name, e);
    }
  }
}
