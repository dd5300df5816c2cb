package io.agentledger.store.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned schema migrations: each file under {@code migrations/} runs once, in order, and is
 * recorded in {@code schema_migrations}. Never edit a released file; add the next one.
 *
 * <p>ClickHouse has no transactional DDL, so every statement in a file must be idempotent ({@code
 * CREATE ... IF NOT EXISTS}, {@code ADD COLUMN IF NOT EXISTS}): a migration that failed half-way,
 * or two processes starting at once, simply run it again. The same files can be fed to {@code
 * clickhouse-client --multiquery} (a docker-compose init script); the store then records them as
 * applied on its first start.
 */
final class Migrations {

  /** In order. A new migration is appended here and added as a resource. */
  static final List<String> FILES =
      List.of(
          "V001__spans.sql",
          "V002__chain_lookup.sql",
          "V003__chains.sql",
          "V004__analyzer_results.sql",
          "V005__state.sql",
          "V006__decision_trees.sql",
          "V007__runs.sql",
          "V008__alerts_and_notifications.sql",
          "V009__anomaly_episodes.sql",
          "V010__agent_regressions.sql",
          "V011__tool_prices_and_workflows.sql",
          "V012__regression_episodes.sql",
          "V013__lease_claims.sql",
          "V014__cost_trees.sql");

  private static final Pattern NAME = Pattern.compile("V(\\d{3})__[a-z0-9_]+\\.sql");

  private Migrations() {}

  static void apply(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS schema_migrations (Version UInt32, Name String,"
              + " AppliedAt DateTime64(3) DEFAULT now64(3))"
              + " ENGINE = ReplacingMergeTree ORDER BY Version");
    }
    int current;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT max(Version) FROM schema_migrations")) {
      rs.next();
      current = rs.getInt(1);
    }
    if (current > FILES.size()) {
      throw new SQLException(
          "the ClickHouse database has schema version "
              + current
              + ", newer than this AgentLedger knows ("
              + FILES.size()
              + "); use a newer release");
    }
    for (int v = current + 1; v <= FILES.size(); v++) {
      String name = FILES.get(v - 1);
      for (String statement : statements(read(name))) {
        try (Statement st = c.createStatement()) {
          st.setEscapeProcessing(false);
          st.execute(statement);
        } catch (SQLException e) {
          throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO schema_migrations (Version, Name) VALUES (?, ?)")) {
        ps.setInt(1, v);
        ps.setString(2, name);
        ps.executeUpdate();
      }
    }
  }

  /** The version a file name carries ({@code V007__x.sql} → 7). */
  static int version(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a migration file name: " + fileName);
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * The statements of a script: each ends with a semicolon at the end of a line. Comment lines
   * ({@code --}) and blank lines are dropped; the server takes one statement per request.
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        out.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(line).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  static String read(String name) throws SQLException {
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
