package io.agentledger.store.clickhouse;

import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The analyzer's anomalies as rows and statements: one row per episode in {@code anomalies},
 * replaced by (project, id) and read with {@code FINAL}.
 */
final class AnomalyRows {

  private AnomalyRows() {}

  static final String INSERT =
      "INSERT INTO anomalies (Project, Id, Kind, Subject, Metric, Observed, ExpectedLow,"
          + " ExpectedHigh, Score, Severity, Status, FirstSeen, LastSeen, ExampleTraceIds, Detail,"
          + " Version) VALUES ("
          + Sql.placeholders(16)
          + ")";

  static List<Object> values(Anomaly a, long version) {
    return Arrays.asList(
        a.project(),
        a.id(),
        a.kind(),
        a.subject(),
        a.metric(),
        a.observed(),
        a.expected().low(),
        a.expected().high(),
        a.score(),
        a.severity(),
        a.status(),
        a.firstSeen(),
        a.lastSeen(),
        a.exampleTraceIds(),
        a.detail(),
        version);
  }

  static Sql select(String project, AnomalyQuery q) {
    StringBuilder where =
        new StringBuilder(" WHERE Project = ? AND FirstSeen < ? AND LastSeen >= ?");
    List<Object> args = new ArrayList<>(List.of(project, q.range().to(), q.range().from()));
    if (!q.status().isEmpty()) {
      where.append(" AND Status = ?");
      args.add(q.status());
    }
    if (!q.kind().isEmpty()) {
      where.append(" AND Kind = ?");
      args.add(q.kind());
    }
    if (!q.agent().isEmpty()) {
      where.append(" AND Subject['agent'] = ?");
      args.add(q.agent());
    }
    q.after()
        .ifPresent(
            p -> {
              where.append(" AND (LastSeen < ? OR (LastSeen = ? AND Id > ?))");
              args.add(p.lastSeen());
              args.add(p.lastSeen());
              args.add(p.id());
            });
    return new Sql(
        "SELECT Project, Id, Kind, toJSONString(Subject) AS SubjectJson, Metric, Observed,"
            + " ExpectedLow, ExpectedHigh, Score, Severity, Status,"
            + " toUnixTimestamp64Nano(FirstSeen) AS FirstSeenNs,"
            + " toUnixTimestamp64Nano(LastSeen) AS LastSeenNs,"
            + " toJSONString(ExampleTraceIds) AS ExamplesJson, toJSONString(Detail) AS DetailJson"
            + " FROM anomalies FINAL"
            + where
            + " ORDER BY LastSeen DESC, Id LIMIT "
            + q.limit(),
        args);
  }

  static Anomaly read(ResultSet rs) throws SQLException {
    return new Anomaly(
        rs.getString("Project"),
        rs.getString("Id"),
        rs.getString("Kind"),
        Json.stringMap(rs.getString("SubjectJson")),
        rs.getString("Metric"),
        rs.getDouble("Observed"),
        new Anomaly.Band(rs.getDouble("ExpectedLow"), rs.getDouble("ExpectedHigh")),
        rs.getDouble("Score"),
        rs.getString("Severity"),
        rs.getString("Status"),
        Sql.instant(rs.getLong("FirstSeenNs")),
        Sql.instant(rs.getLong("LastSeenNs")),
        Json.strings(rs.getString("ExamplesJson")),
        Json.stringMap(rs.getString("DetailJson")));
  }
}
