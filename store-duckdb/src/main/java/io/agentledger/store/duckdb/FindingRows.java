package io.agentledger.store.duckdb;

import static io.agentledger.store.duckdb.Database.instant;
import static io.agentledger.store.duckdb.Database.nanos;

import io.agentledger.store.Regression;
import io.agentledger.store.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The analyzer's regressions: the {@code regressions} table (anomalies: {@link AnomalyRows}). */
final class FindingRows {

  private final Database db;

  FindingRows(Database db) {
    this.db = db;
  }

  void saveRegressions(List<Regression> regressions) {
    db.writeAll(
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
