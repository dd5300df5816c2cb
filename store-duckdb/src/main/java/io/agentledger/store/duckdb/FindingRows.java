package io.agentledger.store.duckdb;

import static io.agentledger.store.duckdb.Database.instant;
import static io.agentledger.store.duckdb.Database.nanos;

import io.agentledger.store.Anomaly;
import io.agentledger.store.Regression;
import io.agentledger.store.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The analyzer's findings: the {@code anomalies} and {@code regressions} tables. */
final class FindingRows {

  private final Database db;

  FindingRows(Database db) {
    this.db = db;
  }

  void saveAnomalies(List<Anomaly> anomalies) {
    db.write(
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
          return null;
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

  void saveRegressions(List<Regression> regressions) {
    db.write(
        "saving regressions",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement(
                  "INSERT OR REPLACE INTO regressions VALUES ("
                      + Database.placeholders(13)
                      + ")")) {
            for (Regression r : regressions) {
              Database.bind(
                  ps,
                  List.of(
                      r.project(),
                      r.id(),
                      r.agent(),
                      r.metric(),
                      r.baselineVersion(),
                      r.candidateVersion(),
                      r.baselineValue(),
                      r.candidateValue(),
                      r.change(),
                      r.pValue(),
                      nanos(r.detectedAt()),
                      r.status(),
                      SpanRows.json(r.attributes())));
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  List<Regression> regressions(String project, TimeRange range) {
    return db.read(
        "reading regressions",
        c -> {
          List<Regression> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM regressions WHERE project = ? AND detected_ns >= ?"
                      + " AND detected_ns < ? ORDER BY detected_ns DESC, id")) {
            Database.bind(ps, List.of(project, range.fromEpochNanos(), range.toEpochNanos()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Regression(
                        rs.getString("project"),
                        rs.getString("id"),
                        rs.getString("agent"),
                        rs.getString("metric"),
                        rs.getString("baseline_version"),
                        rs.getString("candidate_version"),
                        rs.getDouble("baseline_value"),
                        rs.getDouble("candidate_value"),
                        rs.getDouble("change"),
                        rs.getDouble("p_value"),
                        instant(rs.getLong("detected_ns")),
                        rs.getString("status"),
                        SpanRows.parseMap(rs.getString("attributes"))));
              }
            }
          }
          return out;
        });
  }
}
