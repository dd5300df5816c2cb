package io.agentledger.store.duckdb;

import io.agentledger.core.rollup.FlatTree;
import io.agentledger.store.CostTreeStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Cost trees: the {@code cost_tree_nodes} and {@code cost_trees} tables. A tree is replaced whole
 * in one transaction. Reads go through single-column indexes on string keys (DuckDB's only index
 * scans): a range of the tree in order is a {@code node_key} range, one level of a range a {@code
 * depth_key} range; each read stays within about {@link CostTreeStore#MAX_NODES_PER_READ} rows,
 * where DuckDB still chooses the index.
 */
final class CostTreeRows {

  private static final String STAGE = "cost_tree_nodes_stage";
  private static final int DELETE_CHUNK = 500;

  /** Up to this many levels are read level by level; more, as windows of the whole range. */
  private static final int LEVEL_READS = 8;

  private final Database db;
  private final Clock clock;

  CostTreeRows(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
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
    if (trees.isEmpty()) {
      return;
    }
    Map<String, FlatTree> byTrace = new LinkedHashMap<>();
    trees.forEach(t -> byTrace.put(t.traceId(), t));
    long derivedNs = clock.millis() * 1_000_000L;
    db.writeAll(
        "saving cost trees",
        w -> {
          stage(w, project, byTrace.values());
          Database.runInTransaction(
              w,
              tx -> {
                List<String> traces = new ArrayList<>(byTrace.keySet());
                for (int from = 0; from < traces.size(); from += DELETE_CHUNK) {
                  List<String> chunk =
                      traces.subList(from, Math.min(traces.size(), from + DELETE_CHUNK));
                  for (String table : List.of("cost_tree_nodes", "cost_trees")) {
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
                  st.execute("INSERT INTO cost_tree_nodes SELECT * FROM " + STAGE);
                }
                try (PreparedStatement ps =
                    tx.prepareStatement("INSERT INTO cost_trees VALUES (?, ?, ?, ?)")) {
                  for (FlatTree t : byTrace.values()) {
                    ps.setString(1, project);
                    ps.setString(2, t.traceId());
                    ps.setString(3, FlatTree.write(t.head()));
                    ps.setLong(4, derivedNs);
                    ps.addBatch();
                  }
                  ps.executeBatch();
                }
              });
        });
  }

  private static void stage(DuckDBConnection w, String project, Iterable<FlatTree> trees)
      throws SQLException {
    try (Statement st = w.createStatement()) {
      st.execute(
          "CREATE TEMP TABLE IF NOT EXISTS "
              + STAGE
              + " (project VARCHAR, trace_id VARCHAR, node_key VARCHAR, depth_key VARCHAR,"
              + " span_id VARCHAR, node VARCHAR)");
      st.execute("DELETE FROM " + STAGE);
    }
    try (DuckDBAppender appender = w.createAppender("temp", "main", STAGE)) {
      for (FlatTree tree : trees) {
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
      appender.flush();
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
              read(
                  c,
                  "SELECT node FROM cost_tree_nodes WHERE node_key BETWEEN ? AND ?"
                      + " AND project = ? ORDER BY node_key",
                  nodeKey(traceId, from),
                  nodeKey(traceId, last),
                  project,
                  -1,
                  window);
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
            read(
                c,
                "SELECT node FROM cost_tree_nodes WHERE depth_key BETWEEN ? AND ? AND project = ?"
                    + " ORDER BY depth_key LIMIT ?",
                depthKey(traceId, depth, fromSeq),
                depthKey(traceId, depth, toSeq),
                project,
                limit,
                out);
          }
          out.sort(Comparator.comparingInt(FlatTree.Node::seq));
          return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
        });
  }

  private static void read(
      java.sql.Connection c,
      String sql,
      String lo,
      String hi,
      String project,
      int limit,
      List<FlatTree.Node> out)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, lo);
      ps.setString(2, hi);
      ps.setString(3, project);
      if (limit > 0) {
        ps.setInt(4, limit);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(FlatTree.readNode(rs.getString(1)));
        }
      }
    }
  }
}
