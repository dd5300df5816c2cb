package io.agentledger.store.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Trees derived per chain (decision trees, cost trees), stored the same way: a node table whose
 * rows start {@code project, trace_id} and end with the node as JSON, with single-column indexes on
 * string keys, and a header table with one row per tree ({@code project, trace_id}, one value, the
 * time it was derived). A tree is replaced whole in one transaction; nodes are read as key ranges,
 * DuckDB's only index scans.
 */
final class TreeTables<T> {

  /** Appends one tree's rows to the stage, in the node table's column order. */
  interface NodeRows<T> {
    void append(DuckDBAppender appender, String project, T tree) throws SQLException;
  }

  /** Binds the header's value: its third column, after project and trace id. */
  interface HeaderValue<T> {
    void bind(PreparedStatement ps, int index, T tree) throws SQLException;
  }

  /** Takes one stored node, as JSON. */
  interface NodeSink {
    void accept(String node) throws SQLException;
  }

  private static final int DELETE_CHUNK = 500;

  private final Database db;
  private final Clock clock;
  private final String saving;
  private final String nodeTable;
  private final String stage;
  private final String stageColumns;
  private final String headerTable;
  private final Function<T, String> traceId;
  private final NodeRows<T> nodeRows;
  private final HeaderValue<T> headerValue;

  /**
   * @param name what the trees are, for errors ({@code "decision trees"})
   * @param stageColumns the node table's columns as a column list, e.g. {@code (project VARCHAR,
   *     trace_id VARCHAR, node_key VARCHAR, node VARCHAR)}
   */
  TreeTables(
      Database db,
      Clock clock,
      String name,
      String nodeTable,
      String stageColumns,
      String headerTable,
      Function<T, String> traceId,
      NodeRows<T> nodeRows,
      HeaderValue<T> headerValue) {
    this.db = db;
    this.clock = clock;
    this.saving = "saving " + name;
    this.nodeTable = nodeTable;
    this.stage = nodeTable + "_stage";
    this.stageColumns = stageColumns;
    this.headerTable = headerTable;
    this.traceId = traceId;
    this.nodeRows = nodeRows;
    this.headerValue = headerValue;
  }

  /** Replaces the trees of these traces (the last of a trace wins), all of them or none. */
  void replace(String project, List<T> trees) {
    if (trees.isEmpty()) {
      return;
    }
    Map<String, T> byTrace = new LinkedHashMap<>();
    trees.forEach(t -> byTrace.put(traceId.apply(t), t));
    long derivedNs = clock.millis() * 1_000_000L;
    db.writeAll(
        saving,
        w -> {
          stage(w, project, byTrace.values());
          Database.runInTransaction(
              w,
              tx -> {
                delete(tx, project, new ArrayList<>(byTrace.keySet()));
                try (Statement st = tx.createStatement()) {
                  st.execute("INSERT INTO " + nodeTable + " SELECT * FROM " + stage);
                }
                try (PreparedStatement ps =
                    tx.prepareStatement("INSERT INTO " + headerTable + " VALUES (?, ?, ?, ?)")) {
                  for (Map.Entry<String, T> t : byTrace.entrySet()) {
                    ps.setString(1, project);
                    ps.setString(2, t.getKey());
                    headerValue.bind(ps, 3, t.getValue());
                    ps.setLong(4, derivedNs);
                    ps.addBatch();
                  }
                  ps.executeBatch();
                }
              });
        });
  }

  private void delete(DuckDBConnection tx, String project, List<String> traces)
      throws SQLException {
    for (int from = 0; from < traces.size(); from += DELETE_CHUNK) {
      List<String> chunk = traces.subList(from, Math.min(traces.size(), from + DELETE_CHUNK));
      for (String table : List.of(nodeTable, headerTable)) {
        try (PreparedStatement ps =
            tx.prepareStatement(
                "DELETE FROM "
                    + table
                    + " WHERE project = ? AND trace_id IN ("
                    + Database.placeholders(chunk.size())
                    + ")")) {
          ps.setString(1, project);
          Database.bindStrings(ps, 2, chunk);
          ps.executeUpdate();
        }
      }
    }
  }

  private void stage(DuckDBConnection w, String project, Iterable<T> trees) throws SQLException {
    try (Statement st = w.createStatement()) {
      st.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " " + stageColumns);
      st.execute("DELETE FROM " + stage);
    }
    try (DuckDBAppender appender = w.createAppender("temp", "main", stage)) {
      for (T tree : trees) {
        nodeRows.append(appender, project, tree);
      }
      appender.flush();
    }
  }

  /**
   * The project's nodes whose {@code keyColumn} is between {@code lo} and {@code hi}, in key order,
   * at most {@code limit} of them ({@code limit < 1}: all).
   */
  void readRange(
      Connection c, String keyColumn, String lo, String hi, String project, int limit, NodeSink out)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT node FROM "
                + nodeTable
                + " WHERE "
                + keyColumn
                + " BETWEEN ? AND ? AND project = ? ORDER BY "
                + keyColumn
                + (limit > 0 ? " LIMIT ?" : ""))) {
      ps.setString(1, lo);
      ps.setString(2, hi);
      ps.setString(3, project);
      if (limit > 0) {
        ps.setInt(4, limit);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.accept(rs.getString(1));
        }
      }
    }
  }
}
