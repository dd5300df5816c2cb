package io.agentledger.store.duckdb;

import static io.agentledger.store.duckdb.Database.instant;
import static io.agentledger.store.duckdb.Database.nanos;

import com.fasterxml.jackson.core.type.TypeReference;
import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The analyzer's anomalies: the {@code anomalies} table, one row per episode, replaced by (project,
 * id). The subject's agent is a column of its own so {@code ?agent=} filters without JSON.
 */
final class AnomalyRows {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Database db;

  AnomalyRows(Database db) {
    this.db = db;
  }

  void save(List<Anomaly> anomalies) {
    if (anomalies.isEmpty()) {
      return;
    }
    db.writeAll(
        "saving anomalies",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement(
                  "INSERT OR REPLACE INTO anomalies (project, id, kind, agent, subject, metric,"
                      + " observed, expected_low, expected_high, score, severity, status,"
                      + " first_seen_ns, last_seen_ns, example_trace_ids, detail) VALUES ("
                      + Database.placeholders(16)
                      + ")")) {
            for (Anomaly a : anomalies) {
              Database.bind(
                  ps,
                  List.of(
                      a.project(),
                      a.id(),
                      a.kind(),
                      a.agent(),
                      SpanRows.json(a.subject()),
                      a.metric(),
                      a.observed(),
                      a.expected().low(),
                      a.expected().high(),
                      a.score(),
                      a.severity(),
                      a.status(),
                      nanos(a.firstSeen()),
                      nanos(a.lastSeen()),
                      SpanRows.json(a.exampleTraceIds()),
                      SpanRows.json(a.detail())));
              ps.executeUpdate();
            }
          }
        });
  }

  List<Anomaly> list(String project, AnomalyQuery q) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT * FROM anomalies WHERE project = ? AND first_seen_ns < ?"
                + " AND last_seen_ns >= ?");
    List<Object> args =
        new ArrayList<>(List.of(project, q.range().toEpochNanos(), q.range().fromEpochNanos()));
    if (!q.status().isEmpty()) {
      sql.append(" AND status = ?");
      args.add(q.status());
    }
    if (!q.kind().isEmpty()) {
      sql.append(" AND kind = ?");
      args.add(q.kind());
    }
    if (!q.agent().isEmpty()) {
      sql.append(" AND agent = ?");
      args.add(q.agent());
    }
    q.after()
        .ifPresent(
            p -> {
              sql.append(" AND (last_seen_ns < ? OR (last_seen_ns = ? AND id > ?))");
              args.add(nanos(p.lastSeen()));
              args.add(nanos(p.lastSeen()));
              args.add(p.id());
            });
    sql.append(" ORDER BY last_seen_ns DESC, id LIMIT ").append(q.limit());
    return db.read(
        "reading anomalies",
        c -> {
          List<Anomaly> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
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

  private static Anomaly read(ResultSet rs) throws SQLException {
    return new Anomaly(
        rs.getString("project"),
        rs.getString("id"),
        rs.getString("kind"),
        SpanRows.parseMap(rs.getString("subject")),
        rs.getString("metric"),
        rs.getDouble("observed"),
        new Anomaly.Band(rs.getDouble("expected_low"), rs.getDouble("expected_high")),
        rs.getDouble("score"),
        rs.getString("severity"),
        rs.getString("status"),
        instant(rs.getLong("first_seen_ns")),
        instant(rs.getLong("last_seen_ns")),
        SpanRows.parse(rs.getString("example_trace_ids"), STRINGS),
        SpanRows.parseMap(rs.getString("detail")));
  }
}
