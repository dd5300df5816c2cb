package io.agentledger.store.clickhouse;

import io.agentledger.core.decision.DecisionEdge;
import io.agentledger.core.decision.DecisionJson;
import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Decision trees: the {@code decision_nodes} and {@code decision_trees} tables. */
final class DecisionRows {

  static final String INSERT_NODE =
      "INSERT INTO decision_nodes (Project, TraceId, Seq, Node, Version) VALUES ("
          + Sql.placeholders(5)
          + ")";

  static final String INSERT_TREE =
      "INSERT INTO decision_trees (Project, TraceId, NodeCount, Version) VALUES ("
          + Sql.placeholders(4)
          + ")";

  private DecisionRows() {}

  /** Nodes first, then the trees' headers, so a reader never sees a header without its nodes. */
  static void replace(Connection c, String project, List<DecisionTree> trees, long version)
      throws SQLException {
    List<List<Object>> nodes = new ArrayList<>();
    List<List<Object>> headers = new ArrayList<>();
    for (DecisionTree tree : trees) {
      for (DecisionJson.Row row : DecisionJson.rows(tree)) {
        nodes.add(
            Arrays.asList(
                project, tree.traceId(), row.node().seq(), DecisionJson.write(row), version));
        if (nodes.size() == Jdbc.INSERT_CHUNK) {
          Jdbc.insertBatch(c, INSERT_NODE, nodes);
          nodes.clear();
        }
      }
      headers.add(Arrays.asList(project, tree.traceId(), tree.nodes().size(), version));
    }
    Jdbc.insertBatch(c, INSERT_NODE, nodes);
    Jdbc.insertBatch(c, INSERT_TREE, headers);
  }

  static Sql header(String project, String traceId) {
    return Sql.of(
        "SELECT NodeCount, Version FROM decision_trees FINAL WHERE Project = ? AND TraceId = ?",
        project,
        traceId);
  }

  /** The newest row per node number in the range, of the tree's version or newer. */
  static Sql nodes(String project, String traceId, long first, long last, long version) {
    return Sql.of(
        "SELECT Node FROM decision_nodes FINAL WHERE Project = ? AND TraceId = ?"
            + " AND Seq BETWEEN ? AND ? AND Version >= ? ORDER BY Seq",
        project,
        traceId,
        first,
        last,
        version);
  }

  static Optional<DecisionTreePage> page(
      Connection c, String project, String traceId, int afterSeq, int limit) throws SQLException {
    long[] header = new long[2];
    boolean[] found = {false};
    Jdbc.query(
        c,
        header(project, traceId),
        rs -> {
          header[0] = rs.getLong(1);
          header[1] = rs.getLong(2);
          found[0] = true;
        });
    if (!found[0]) {
      return Optional.empty();
    }
    int total = (int) header[0];
    long first = Math.max(0L, afterSeq + 1L);
    long last = Math.min(total - 1L, first + Math.max(1, limit) - 1L);
    List<DecisionNode> nodes = new ArrayList<>();
    List<DecisionEdge> edges = new ArrayList<>();
    if (first <= last) {
      Jdbc.query(
          c,
          nodes(project, traceId, first, last, header[1]),
          rs -> {
            DecisionJson.Row row = DecisionJson.read(rs.getString(1));
            nodes.add(row.node());
            edges.addAll(row.incoming());
          });
    }
    Optional<String> next =
        first <= last && last < total - 1
            ? Optional.of(DecisionTreePage.cursorAfter((int) last))
            : Optional.empty();
    return Optional.of(new DecisionTreePage(traceId, nodes, edges, total, next));
  }
}
