package io.agentledger.store.duckdb;

import com.fasterxml.jackson.core.type.TypeReference;
import io.agentledger.store.RunReplacement;
import io.agentledger.store.RunSummary;
import io.agentledger.store.TimeRange;
import io.agentledger.store.paths.LogHistogram;
import io.agentledger.store.paths.PathGroup;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The runs of agents ({@code runs}): replaced per chain when it settles, read by detectors, and
 * grouped by path for aggregated paths.
 */
final class RunRows {

  private static final String STAGE = "run_updates";
  private static final int IN_LIST_CHUNK = 1_000;

  /** The scale of {@code runs.cost_usd}, which the Appender requires exactly. */
  private static final int COST_SCALE = 12;

  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  private final Database db;

  private RunRows(Database db) {
    this.db = db;
  }

  /** Creates the writer's staging table. */
  static RunRows open(Database db) {
    db.setUpEveryWriter(
        "preparing runs",
        w -> {
          try (Statement st = w.createStatement()) {
            st.execute("CREATE TEMP TABLE " + STAGE + " AS SELECT * FROM runs LIMIT 0");
          }
        });
    return new RunRows(db);
  }

  void replace(String project, Collection<String> traceIds, List<RunSummary> runs) {
    Collection<RunSummary> checked = RunReplacement.checked(project, traceIds, runs);
    if (traceIds.isEmpty()) {
      return;
    }
    db.writeAll(
        "saving the runs of " + traceIds.size() + " chains",
        w -> {
          stage(w, checked);
          Database.runInTransaction(
              w,
              tx -> {
                for (List<String> chunk : chunks(new LinkedHashSet<>(traceIds))) {
                  try (PreparedStatement ps =
                      tx.prepareStatement(
                          "DELETE FROM runs WHERE trace_id IN ("
                              + Database.placeholders(chunk.size())
                              + ") AND project = ?")) {
                    Database.bindStrings(ps, 1, chunk);
                    ps.setString(chunk.size() + 1, project);
                    ps.executeUpdate();
                  }
                }
                try (Statement st = tx.createStatement()) {
                  st.execute("INSERT INTO runs SELECT * FROM " + STAGE);
                }
              });
        });
  }

  private static void stage(DuckDBConnection w, Collection<RunSummary> runs) throws SQLException {
    try (Statement st = w.createStatement()) {
      st.execute("DELETE FROM " + STAGE);
    }
    try (DuckDBAppender row = w.createAppender("temp", "main", STAGE)) {
      for (RunSummary r : runs) {
        row.beginRow();
        row.append(r.project());
        row.append(r.traceId());
        row.append(r.spanId());
        row.append(r.agent());
        row.append(r.agentVersion());
        row.append(r.service());
        row.append(r.userId());
        row.append(r.sessionId());
        row.append(Database.nanos(r.startTime()));
        row.append(r.durationMs());
        row.append(r.costUsd().setScale(COST_SCALE, RoundingMode.HALF_EVEN));
        row.append(r.costComplete());
        row.append(r.inputTokens());
        row.append(r.outputTokens());
        row.append(r.llmCalls());
        row.append(r.toolCalls());
        row.append(r.errors());
        row.append(r.retries());
        row.append(SpanRows.json(r.models()));
        row.append(SpanRows.json(r.path()));
        row.append(SpanRows.json(r.behaviours()));
        row.append(LogHistogram.bucketOf(r.costUsd().doubleValue()));
        row.append(LogHistogram.bucketOf(r.durationMs()));
        row.endRow();
      }
      row.flush(); // close() without flush() may drop a failed chunk silently (DESIGN.md)
    }
  }

  List<RunSummary> runs(
      String project, String agent, String agentVersion, TimeRange range, int limit) {
    Filter f = new Filter(project, agent, agentVersion, range);
    return db.read(
        "reading runs",
        c -> {
          List<RunSummary> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM runs WHERE "
                      + f.sql
                      + " ORDER BY start_ns, trace_id, span_id LIMIT ?")) {
            List<Object> args = new ArrayList<>(f.args);
            args.add(limit);
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(read(rs));
              }
            }
          }
          return out;
        });
  }

  List<PathGroup> pathGroups(String project, String agent, String agentVersion, TimeRange range) {
    Filter f = new Filter(project, agent, agentVersion, range);
    return db.read(
        "grouping runs by path",
        c -> {
          c.setAutoCommit(false); // one snapshot for both statements
          try {
            Map<String, Histograms> histograms = histograms(c, f);
            return groups(c, f, histograms);
          } finally {
            c.rollback();
          }
        });
  }

  private static List<PathGroup> groups(Connection c, Filter f, Map<String, Histograms> histograms)
      throws SQLException {
    List<PathGroup> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT path, count(*) AS runs, count(*) FILTER (WHERE errors > 0) AS error_runs,"
                + " sum(cost_usd) AS cost, sum(duration_ms) AS duration,"
                + " min(cost_usd) AS cost_min, max(cost_usd) AS cost_max,"
                + " min(duration_ms) AS duration_min, max(duration_ms) AS duration_max,"
                + " max_by(trace_id, start_ns) AS latest, max_by(trace_id, cost_usd) AS priciest,"
                + " max_by(trace_id, duration_ms) AS slowest"
                + " FROM runs WHERE "
                + f.sql
                + " GROUP BY path ORDER BY runs DESC, path")) {
      Database.bind(ps, f.args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String path = rs.getString("path");
          Histograms h = histograms.getOrDefault(path, new Histograms());
          out.add(
              new PathGroup(
                  SpanRows.parse(path, STRING_LIST),
                  rs.getLong("runs"),
                  rs.getLong("error_runs"),
                  rs.getBigDecimal("cost"),
                  rs.getLong("duration"),
                  new LogHistogram(h.cost, rs.getDouble("cost_min"), rs.getDouble("cost_max")),
                  new LogHistogram(
                      h.duration, rs.getDouble("duration_min"), rs.getDouble("duration_max")),
                  PathGroup.examples(
                      rs.getString("latest"), rs.getString("priciest"), rs.getString("slowest"))));
        }
      }
    }
    return out;
  }

  /** Bucket counts per path and metric, counted in one scan. */
  private static Map<String, Histograms> histograms(Connection c, Filter f) throws SQLException {
    Map<String, Histograms> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT path, cost_bucket, duration_bucket, GROUPING(cost_bucket) AS by_duration,"
                + " count(*) AS n FROM runs WHERE "
                + f.sql
                + " GROUP BY GROUPING SETS ((path, cost_bucket), (path, duration_bucket))")) {
      Database.bind(ps, f.args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Histograms h = out.computeIfAbsent(rs.getString("path"), p -> new Histograms());
          if (rs.getInt("by_duration") == 0) {
            h.cost.put(rs.getInt("cost_bucket"), rs.getLong("n"));
          } else {
            h.duration.put(rs.getInt("duration_bucket"), rs.getLong("n"));
          }
        }
      }
    }
    return out;
  }

  private static final class Histograms {
    final TreeMap<Integer, Long> cost = new TreeMap<>();
    final TreeMap<Integer, Long> duration = new TreeMap<>();
  }

  /** The WHERE clause of a run query and its arguments. */
  private static final class Filter {
    final String sql;
    final List<Object> args;

    Filter(String project, String agent, String agentVersion, TimeRange range) {
      StringBuilder sql = new StringBuilder("project = ? AND start_ns >= ? AND start_ns < ?");
      List<Object> args =
          new ArrayList<>(List.of(project, range.fromEpochNanos(), range.toEpochNanos()));
      if (!agent.isEmpty()) {
        sql.append(" AND agent = ?");
        args.add(agent);
      }
      if (!agentVersion.isEmpty()) {
        sql.append(" AND agent_version = ?");
        args.add(agentVersion);
      }
      this.sql = sql.toString();
      this.args = args;
    }
  }

  private static RunSummary read(ResultSet rs) throws SQLException {
    return new RunSummary(
        rs.getString("project"),
        rs.getString("trace_id"),
        rs.getString("span_id"),
        rs.getString("agent"),
        rs.getString("agent_version"),
        rs.getString("service"),
        rs.getString("user_id"),
        rs.getString("session_id"),
        Database.instant(rs.getLong("start_ns")),
        rs.getLong("duration_ms"),
        rs.getBigDecimal("cost_usd"),
        rs.getBoolean("cost_complete"),
        rs.getLong("input_tokens"),
        rs.getLong("output_tokens"),
        rs.getInt("llm_calls"),
        rs.getInt("tool_calls"),
        rs.getInt("errors"),
        rs.getInt("retries"),
        SpanRows.parse(rs.getString("models"), STRING_LIST),
        SpanRows.parse(rs.getString("path"), STRING_LIST),
        SpanRows.parseMap(rs.getString("behaviours")));
  }

  private static List<List<String>> chunks(Collection<String> ids) {
    List<List<String>> out = new ArrayList<>();
    List<String> all = new ArrayList<>(ids);
    for (int i = 0; i < all.size(); i += IN_LIST_CHUNK) {
      out.add(all.subList(i, Math.min(all.size(), i + IN_LIST_CHUNK)));
    }
    return out;
  }
}
