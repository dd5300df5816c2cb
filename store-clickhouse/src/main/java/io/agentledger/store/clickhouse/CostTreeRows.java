package io.agentledger.store.clickhouse;

import io.agentledger.core.rollup.FlatTree;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cost trees: the {@code cost_tree_nodes} and {@code cost_trees} tables. Nodes are ordered by
 * (project, trace id, number), so a range of a tree is a range of the primary key.
 */
final class CostTreeRows {

  static final String INSERT_NODE =
      "INSERT INTO cost_tree_nodes (Project, TraceId, Seq, Depth, SpanId, Node, Version) VALUES ("
          + Sql.placeholders(7)
          + ")";

  static final String INSERT_TREE =
      "INSERT INTO cost_trees (Project, TraceId, Head, Version) VALUES ("
          + Sql.placeholders(4)
          + ")";

  private CostTreeRows() {}

  /** Nodes first, then the heads, so a reader never sees a head without its nodes. */
  static void replace(Connection c, String project, List<FlatTree> trees, long version)
      throws SQLException {
    List<List<Object>> nodes = new ArrayList<>();
    List<List<Object>> heads = new ArrayList<>();
    for (FlatTree tree : trees) {
      for (FlatTree.Node n : tree.nodes()) {
        nodes.add(
            Arrays.asList(
                project,
                tree.traceId(),
                n.seq(),
                n.depth(),
                n.spanId(),
                FlatTree.write(n),
                version));
        if (nodes.size() == Jdbc.INSERT_CHUNK) {
          Jdbc.insertBatch(c, INSERT_NODE, nodes);
          nodes.clear();
        }
      }
      heads.add(Arrays.asList(project, tree.traceId(), FlatTree.write(tree.head()), version));
    }
    Jdbc.insertBatch(c, INSERT_NODE, nodes);
    Jdbc.insertBatch(c, INSERT_TREE, heads);
  }

  /** The head and its version; empty when no tree is stored. */
  static Optional<Versioned> head(Connection c, String project, String traceId)
      throws SQLException {
    List<Versioned> out = new ArrayList<>(1);
    Jdbc.query(
        c,
        Sql.of(
            "SELECT Head, Version FROM cost_trees FINAL WHERE Project = ? AND TraceId = ?",
            project,
            traceId),
        rs -> out.add(new Versioned(FlatTree.readHead(rs.getString(1)), rs.getLong(2))));
    return out.stream().findFirst();
  }

  static Optional<FlatTree.Node> node(Connection c, String project, String traceId, String spanId)
      throws SQLException {
    Optional<Versioned> head = head(c, project, traceId);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    List<FlatTree.Node> out = new ArrayList<>(1);
    Jdbc.query(
        c,
        Sql.of(
            "SELECT Node FROM cost_tree_nodes FINAL WHERE Project = ? AND TraceId = ?"
                + " AND SpanId = ? AND Version >= ? AND Seq < ? LIMIT 1",
            project,
            traceId,
            spanId,
            head.get().version(),
            head.get().head().nodeCount()),
        rs -> out.add(FlatTree.readNode(rs.getString(1))));
    return out.stream().findFirst();
  }

  static List<FlatTree.Node> nodes(
      Connection c,
      String project,
      String traceId,
      int fromSeq,
      int toSeq,
      int minDepth,
      int maxDepth,
      int limit)
      throws SQLException {
    Optional<Versioned> head = head(c, project, traceId);
    if (head.isEmpty() || fromSeq > toSeq || limit < 1) {
      return List.of();
    }
    long last = Math.min((long) toSeq, head.get().head().nodeCount() - 1L);
    List<FlatTree.Node> out = new ArrayList<>();
    Jdbc.query(
        c,
        Sql.of(
            "SELECT Node FROM cost_tree_nodes FINAL WHERE Project = ? AND TraceId = ?"
                + " AND Seq BETWEEN ? AND ? AND Depth BETWEEN ? AND ? AND Version >= ?"
                + " ORDER BY Seq LIMIT ?",
            project,
            traceId,
            fromSeq,
            last,
            Math.max(0, minDepth),
            maxDepth == Integer.MAX_VALUE ? 0xFFFF_FFFFL : (long) maxDepth,
            head.get().version(),
            limit),
        rs -> out.add(FlatTree.readNode(rs.getString(1))));
    return out;
  }

  /** A stored head and the version its nodes carry (or a newer one). */
  record Versioned(FlatTree.Head head, long version) {}
}
