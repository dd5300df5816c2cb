package io.agentledger.store.duckdb;

import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.ChainCursor;
import io.agentledger.store.ChainPages;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.ChainRef;
import io.agentledger.store.Page;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads chains. A chain's spans are found by first reading the small {@code trace_index} to learn
 * which append batches hold the chain, then scanning only the row groups of those batches (zone
 * maps on {@code batch_seq}).
 */
final class ChainReads {

  private final Database db;
  private final SpanResources resources;

  ChainReads(Database db, SpanResources resources) {
    this.db = db;
    this.resources = resources;
  }

  Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds) {
    Map<String, List<AgentSpan>> out = new LinkedHashMap<>();
    if (traceIds.isEmpty()) {
      return out;
    }
    List<String> ids = List.copyOf(new LinkedHashSet<>(traceIds));
    String in = Database.placeholders(ids.size());
    return db.read(
        "reading chains",
        c -> {
          long lo = Long.MAX_VALUE;
          long hi = Long.MIN_VALUE;
          // By trace id alone, so DuckDB uses the single-column index (V002); the project is
          // checked here, on the one row a trace id almost always has.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT project, first_batch, last_batch FROM trace_index WHERE trace_id IN ("
                      + in
                      + ")")) {
            Database.bindStrings(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (rs.getString(1).equals(project)) {
                  lo = Math.min(lo, rs.getLong(2));
                  hi = Math.max(hi, rs.getLong(3));
                }
              }
            }
          }
          if (lo > hi) {
            return out;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + SpanRows.COLUMNS
                      + " FROM spans WHERE batch_seq BETWEEN ? AND ? AND project = ?"
                      + " AND trace_id IN ("
                      + in
                      + ")")) {
            ps.setLong(1, lo);
            ps.setLong(2, hi);
            ps.setString(3, project);
            Database.bindStrings(ps, 4, ids);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                AgentSpan s = SpanRows.read(rs, id -> resources.attributes(c, id));
                out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
              }
            }
          }
          return out;
        });
  }

  Page<ChainSummary> chains(String project, ChainQuery q) {
    Optional<ChainCursor> after = ChainPages.after(q); // rejects a foreign cursor before any I/O
    StringBuilder sql =
        new StringBuilder(
            "SELECT * FROM chains WHERE project = ? AND start_ns >= ? AND start_ns < ?");
    List<Object> args =
        new ArrayList<>(List.of(project, q.range().fromEpochNanos(), q.range().toEpochNanos()));
    if (!q.service().isEmpty()) {
      sql.append(" AND service = ?");
      args.add(q.service());
    }
    if (!q.agent().isEmpty()) {
      sql.append(
          " AND (agent = ? OR trace_id IN (SELECT trace_id FROM spans WHERE project = ?"
              + " AND attributed_agent = ? AND start_ns >= ? AND start_ns < ?))");
      args.addAll(
          List.of(
              q.agent(), project, q.agent(), q.range().fromEpochNanos(), q.range().toEpochNanos()));
    }
    if (!q.sessionId().isEmpty()) {
      sql.append(" AND session_id = ?");
      args.add(q.sessionId());
    }
    if (!q.userId().isEmpty()) {
      sql.append(" AND user_id = ?");
      args.add(q.userId());
    }
    if (!q.workflowId().isEmpty()) {
      sql.append(" AND workflow_id = ?");
      args.add(q.workflowId());
    }
    q.minCostUsd()
        .ifPresent(
            min -> {
              sql.append(" AND cost_usd >= ?");
              args.add(min);
            });
    String sortColumn = q.order() == ChainQuery.Order.START ? "start_ns" : "cost_usd";
    after.ifPresent(
        cur -> {
          Object value =
              q.order() == ChainQuery.Order.START ? cur.startEpochNanos() : cur.costUsd();
          sql.append(" AND (")
              .append(sortColumn)
              .append(" < ? OR (")
              .append(sortColumn)
              .append(" = ? AND trace_id < ?))");
          args.addAll(List.of(value, value, cur.traceId()));
        });
    sql.append(" ORDER BY ").append(sortColumn).append(" DESC, trace_id DESC LIMIT ?");
    args.add(ChainPages.lookAhead(q));
    List<ChainSummary> rows =
        db.read(
            "listing chains",
            c -> {
              List<ChainSummary> out = new ArrayList<>();
              try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Database.bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(ChainRows.read(rs));
                  }
                }
              }
              return out;
            });
    return ChainPages.page(rows, q);
  }

  Optional<ChainSummary> chainSummary(String project, String traceId) {
    return db.read(
        "reading a chain summary",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM chains WHERE project = ? AND trace_id = ?")) {
            ps.setString(1, project);
            ps.setString(2, traceId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(ChainRows.read(rs)) : Optional.empty();
            }
          }
        });
  }

  List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit) {
    return db.read(
        "finding changed chains",
        c -> {
          List<ChainRef> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT project, trace_id, last_ingested_us FROM trace_index"
                      + " WHERE last_ingested_us > ? AND last_ingested_us <= ?"
                      + " ORDER BY last_ingested_us, project, trace_id LIMIT ?")) {
            ps.setLong(1, Database.micros(after));
            ps.setLong(2, Database.micros(upTo));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new ChainRef(
                        rs.getString(1), rs.getString(2), Database.instantOfMicros(rs.getLong(3))));
              }
            }
          }
          return out;
        });
  }

  /** The trace ids of a project's settled chains with the session id, oldest first. */
  List<String> sessionChains(String project, String sessionId) {
    return groupChains("reading a session", "session_id", project, sessionId);
  }

  /** The trace ids of a project's settled chains of the workflow run, oldest first. */
  List<String> workflowChains(String project, String workflowId) {
    return groupChains("reading a workflow run", "workflow_id", project, workflowId);
  }

  /** The chains whose group column (a fixed column name, never input) has the id. */
  private List<String> groupChains(String what, String column, String project, String id) {
    return db.read(
        what,
        c -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT trace_id FROM chains WHERE project = ? AND "
                      + column
                      + " = ? ORDER BY start_ns")) {
            ps.setString(1, project);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
          return ids;
        });
  }
}
