package io.agentledger.store.duckdb;

import static io.agentledger.store.duckdb.Database.instant;
import static io.agentledger.store.duckdb.Database.nanos;

import io.agentledger.store.Anomaly;
import io.agentledger.store.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The analyzer's findings: the {@code anomalies} table. */
final class FindingRows {

  private final Database db;

  FindingRows(Database db) {
    this.db = db;
  }

  void saveAnomalies(List<Anomaly> anomalies) {
    db.writeAll(
        "saving anomalies",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement(
                  "INSERT OR REPLACE INTO anomalies VALUES (" + Database.placeholders(14) + ")")) {
            for (Anomaly a : anomalies) {
              Database.bind(
                  ps,
                  List.of(
                      a.project(),
                      a.id(),
                      a.kind(),
                      a.entity(),
                      a.metric(),
                      nanos(a.detectedAt()),
                      nanos(a.windowStart()),
                      nanos(a.windowEnd()),
                      a.observed(),
                      a.expected(),
                      a.score(),
                      a.status(),
                      a.summary(),
                      SpanRows.json(a.attributes())));
              ps.executeUpdate();
            }
          }
        });
  }

  List<Anomaly> anomalies(String project, TimeRange range, String status) {
    String sql =
        "SELECT * FROM anomalies WHERE project = ? AND detected_ns >= ? AND detected_ns < ?"
            + (status.isEmpty() ? "" : " AND status = ?")
            + " ORDER BY detected_ns DESC, id";
    List<Object> args =
        new ArrayList<>(List.of(project, range.fromEpochNanos(), range.toEpochNanos()));
    if (!status.isEmpty()) {
      args.add(status);
    }
    return db.read(
        "reading anomalies",
        c -> {
          List<Anomaly> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Anomaly(
                        rs.getString("project"),
                        rs.getString("id"),
                        rs.getString("kind"),
                        rs.getString("entity"),
                        rs.getString("metric"),
                        instant(rs.getLong("detected_ns")),
                        instant(rs.getLong("window_start_ns")),
                        instant(rs.getLong("window_end_ns")),
                        rs.getDouble("observed"),
                        rs.getDouble("expected"),
                        rs.getDouble("score"),
                        rs.getString("status"),
                        rs.getString("summary"),
                        SpanRows.parseMap(rs.getString("attributes"))));
              }
            }
          }
          return out;
        });
  }
}
