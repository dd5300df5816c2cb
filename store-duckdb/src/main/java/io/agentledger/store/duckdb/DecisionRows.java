package io.agentledger.store.duckdb;

import io.agentledger.core.decision.DecisionEdge;
import io.agentledger.core.decision.DecisionJson;
import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.duckdb.DuckDBAppender;

/**
 * Decision trees: the {@code decision_nodes} and {@code decision_trees} tables. A tree is replaced
 * whole in one transaction; a page is a key range read through the single-column index.
 */
final class DecisionRows {

  private final Database db;
  private final TreeTables<DecisionTree> tables;

  DecisionRows(Database db, Clock clock) {
    this.db = db;
    this.tables =
        new TreeTables<>(
            db,
            clock,
            "decision trees",
            "decision_nodes",
            "(project VARCHAR, trace_id VARCHAR, node_key VARCHAR, node VARCHAR)",
            "decision_trees",
            DecisionTree::traceId,
            DecisionRows::append,
            (ps, index, tree) -> ps.setInt(index, tree.nodes().size()));
  }

  /** {@code traceId} then the node number as 8 hex digits: ordered as the numbers are. */
  static String key(String traceId, long seq) {
    return traceId + String.format(Locale.ROOT, "%08x", seq);
  }

  void replace(String project, List<DecisionTree> trees) {
    tables.replace(project, trees);
  }

  private static void append(DuckDBAppender appender, String project, DecisionTree tree)
      throws SQLException {
    for (DecisionJson.Row row : DecisionJson.rows(tree)) {
      appender.beginRow();
      appender.append(project);
      appender.append(tree.traceId());
      appender.append(key(tree.traceId(), row.node().seq()));
      appender.append(DecisionJson.write(row));
      appender.endRow();
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
            tables.readRange(
                c,
                "node_key",
                key(traceId, first),
                key(traceId, last),
                project,
                -1,
                node -> {
                  DecisionJson.Row row = DecisionJson.read(node);
                  nodes.add(row.node());
                  edges.addAll(row.incoming());
                });
          }
          Optional<String> next =
              last < total - 1 && first <= last
                  ? Optional.of(DecisionTreePage.cursorAfter((int) last))
                  : Optional.empty();
          return Optional.of(new DecisionTreePage(traceId, nodes, edges, total, next));
        });
  }
}
