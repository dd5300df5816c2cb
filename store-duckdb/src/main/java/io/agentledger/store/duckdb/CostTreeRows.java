package io.agentledger.store.duckdb;

import io.agentledger.core.rollup.FlatTree;
import io.agentledger.store.CostTreeStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.duckdb.DuckDBAppender;

/**
 * Cost trees: the {@code cost_tree_nodes} and {@code cost_trees} tables. A tree is replaced whole
 * in one transaction. Reads go through single-column indexes on string keys (DuckDB's only index
 * scans): a range of the tree in order is a {@code node_key} range, one level of a range a {@code
 * depth_key} range; each read stays within about {@link CostTreeStore#MAX_NODES_PER_READ} rows,
 * where DuckDB still chooses the index.
 */
final class CostTreeRows {

  /** Up to this many levels are read level by level; more, as windows of the whole range. */
  private static final int LEVEL_READS = 8;

  private final Database db;
  private final TreeTables<FlatTree> tables;

  CostTreeRows(Database db, Clock clock) {
    this.db = db;
    this.tables =
        new TreeTables<>(
            db,
            clock,
            "cost trees",
            "cost_tree_nodes",
            "(project VARCHAR, trace_id VARCHAR, node_key VARCHAR, depth_key VARCHAR,"
                + " span_id VARCHAR, node VARCHAR)",
            "cost_trees",
            FlatTree::traceId,
            CostTreeRows::append,
            (ps, index, tree) -> ps.setString(index, FlatTree.write(tree.head())));
  }

  /** {@code traceId} then the node number as 8 hex digits: ordered as the numbers are. */
  static String nodeKey(String traceId, long seq) {
    return traceId + String.format(Locale.ROOT, "%08x", seq);
  }

  /** {@code traceId}, the depth as 4 hex digits, the node number as 8: one level, in order. */
  static String depthKey(String traceId, int depth, long seq) {
    return traceId + String.format(Locale.ROOT, "%04x%08x", depth, seq);
  }

  void replace(String project, List<FlatTree> trees) {
    tables.replace(project, trees);
  }

  private static void append(DuckDBAppender appender, String project, FlatTree tree)
      throws SQLException {
    for (FlatTree.Node n : tree.nodes()) {
      appender.beginRow();
      appender.append(project);
      appender.append(tree.traceId());
      appender.append(nodeKey(tree.traceId(), n.seq()));
      appender.append(depthKey(tree.traceId(), n.depth(), n.seq()));
      appender.append(n.spanId());
      appender.append(FlatTree.write(n));
      appender.endRow();
    }
  }

  Optional<FlatTree.Head> head(String project, String traceId) {
    return db.read(
        "reading a cost tree",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT head FROM cost_trees WHERE trace_id = ? AND project = ?")) {
            ps.setString(1, traceId);
            ps.setString(2, project);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(FlatTree.readHead(rs.getString(1))) : Optional.empty();
            }
          }
        });
  }

  Optional<FlatTree.Node> node(String project, String traceId, String spanId) {
    return db.read(
        "reading a cost tree node",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT node FROM cost_tree_nodes WHERE span_id = ? AND trace_id = ?"
                      + " AND project = ? LIMIT 1")) {
            ps.setString(1, spanId);
            ps.setString(2, traceId);
            ps.setString(3, project);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(FlatTree.readNode(rs.getString(1))) : Optional.empty();
            }
          }
        });
  }

  List<FlatTree.Node> nodes(
      String project,
      String traceId,
      int fromSeq,
      int toSeq,
      int minDepth,
      int maxDepth,
      int limit) {
    if (fromSeq > toSeq || limit < 1) {
      return List.of();
    }
    return db.read(
        "reading a cost tree",
        c -> {
          List<FlatTree.Node> out = new ArrayList<>();
          if ((long) maxDepth - minDepth >= LEVEL_READS) {
            // Most of the range is wanted: windows of numbers, in order, the depths checked here.
            long from = fromSeq;
            while (out.size() < limit && from <= toSeq) {
              long last = Math.min((long) toSeq, from + CostTreeStore.MAX_NODES_PER_READ - 1);
              List<FlatTree.Node> window = new ArrayList<>();
              tables.readRange(
                  c,
                  "node_key",
                  nodeKey(traceId, from),
                  nodeKey(traceId, last),
                  project,
                  -1,
                  node -> window.add(FlatTree.readNode(node)));
              for (FlatTree.Node n : window) {
                if (n.depth() >= minDepth && n.depth() <= maxDepth && out.size() < limit) {
                  out.add(n);
                }
              }
              from = last + 1;
            }
            return out;
          }
          // A few levels of a range: one key range per level, merged in number order.
          for (int depth = Math.max(0, minDepth); depth <= maxDepth; depth++) {
            tables.readRange(
                c,
                "depth_key",
                depthKey(traceId, depth, fromSeq),
                depthKey(traceId, depth, toSeq),
                project,
                limit,
                node -> out.add(FlatTree.readNode(node)));
          }
          out.sort(Comparator.comparingInt(FlatTree.Node::seq));
          return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
        });
  }
}
