package io.agentledger.store.duckdb;

import io.agentledger.core.decision.DecisionEdge;
import io.agentledger.core.decision.DecisionJson;
import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Decision trees: the {@code decision_nodes} and {@code decision_trees} tables. A tree is replaced
 * whole in one transaction; a page is a key range read through the single-column index.
 */
final class DecisionRows {

  private static final String STAGE = "decision_nodes_stage";
  private static final int DELETE_CHUNK = 500;

  private final Database db;
  private final Clock clock;

  DecisionRows(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** {@code traceId} then the node number as 8 hex digits: ordered as the numbers are. */
  static String key(String traceId, long seq) {
    return traceId + String.format(Locale.ROOT, "%08x", seq);
  }

  void replace(String project, List<DecisionTree> trees) {
    if (trees.isEmpty()) {
      return;
    }
    Map<String, DecisionTree> byTrace = new LinkedHashMap<>();
    trees.forEach(t -> byTrace.put(t.traceId(), t));
    long derivedNs = clock.millis() * 1_000_000L;
    db.writeAll(
        "saving decision trees",
        w -> {
          stage(w, project, byTrace.values());
          Database.runInTransaction(
              w,
              tx -> {
                List<String> traces = new ArrayList<>(byTrace.keySet());
                for (int from = 0; from < traces.size(); from += DELETE_CHUNK) {
                  List<String> chunk =
                      traces.subList(from, Math.min(traces.size(), from + DELETE_CHUNK));
                  for (String table : List.of("decision_nodes", "decision_trees")) {
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
                try (Statement st = tx.createStatement()) {
                  st.execute("INSERT INTO decision_nodes SELECT * FROM " + STAGE);
                }
                try (PreparedStatement ps =
                    tx.prepareStatement("INSERT INTO decision_trees VALUES (?, ?, ?, ?)")) {
                  for (DecisionTree t : byTrace.values()) {
                    ps.setString(1, project);
                    ps.setString(2, t.traceId());
                    ps.setInt(3, t.nodes().size());
                    ps.setLong(4, derivedNs);
                    ps.addBatch();
                  }
                  ps.executeBatch();
                }
              });
        });
  }

  private static void stage(DuckDBConnection w, String project, Iterable<DecisionTree> trees)
      throws SQLException {
    try (Statement st = w.createStatement()) {
      st.execute(
          "CREATE TEMP TABLE IF NOT EXISTS "
              + STAGE
              + " (project VARCHAR, trace_id VARCHAR, node_key VARCHAR, node VARCHAR)");
      st.execute("DELETE FROM " + STAGE);
    }
    try (DuckDBAppender appender = w.createAppender("temp", "main", STAGE)) {
      for (DecisionTree tree : trees) {
        for (DecisionJson.Row row : DecisionJson.rows(tree)) {
          appender.beginRow();
          appender.append(project);
          appender.append(tree.traceId());
          appender.append(key(tree.traceId(), row.node().seq()));
          appender.append(DecisionJson.write(row));
          appender.endRow();
        }
      }
      appender.flush();
    }
  }

  Optional<DecisionTreePage> page(String project, String traceId, int afterSeq, int limit) {
    return db.read(
        "reading a decision tree",
        c -> {
          int total;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT node_count FROM decision_trees WHERE trace_id = ? AND project = ?")) {
            ps.setString(1, traceId);
            ps.setString(2, project);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              total = rs.getInt(1);
            }
          }
          long first = Math.max(0L, afterSeq + 1L);
          long last = Math.min(total - 1L, first + Math.max(1, limit) - 1L);
          List<DecisionNode> nodes = new ArrayList<>();
          List<DecisionEdge> edges = new ArrayList<>();
          if (first <= last) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT node FROM decision_nodes WHERE node_key BETWEEN ? AND ?"
                        + " AND project = ? ORDER BY node_key")) {
              ps.setString(1, key(traceId, first));
              ps.setString(2, key(traceId, last));
              ps.setString(3, project);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  DecisionJson.Row row = DecisionJson.read(rs.getString(1));
                  nodes.add(row.node());
                  edges.addAll(row.incoming());
                }
              }
            }
          }
          Optional<String> next =
              last < total - 1 && first <= last
                  ? Optional.of(DecisionTreePage.cursorAfter((int) last))
                  : Optional.empty();
          return Optional.of(new DecisionTreePage(traceId, nodes, edges, total, next));
        });
  }
}
