package io.agentledger.store.clickhouse;

import io.agentledger.store.Anomaly;
import io.agentledger.store.TimeRange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The analyzer's results and the pipeline's small state, as rows and statements. */
final class ResultRows {

  private ResultRows() {}

  static final String INSERT_ANOMALY =
      "INSERT INTO anomalies (Project, Id, Kind, Entity, Metric, DetectedAt, WindowStart,"
          + " WindowEnd, Observed, Expected, Score, Status, Summary, Attributes, Version)"
          + " VALUES ("
          + Sql.placeholders(15)
          + ")";

  static List<Object> values(Anomaly a, long version) {
    return Arrays.asList(
        a.project(),
        a.id(),
        a.kind(),
        a.entity(),
        a.metric(),
        a.detectedAt(),
        a.windowStart(),
        a.windowEnd(),
        a.observed(),
        a.expected(),
        a.score(),
        a.status(),
        a.summary(),
        a.attributes(),
        version);
  }

  static Sql anomalies(String project, TimeRange range, String status) {
    List<Object> args = new ArrayList<>(List.of(project, range.from(), range.to()));
    if (!status.isEmpty()) {
      args.add(status);
    }
    return new Sql(
        "SELECT Project, Id, Kind, Entity, Metric,"
            + " toUnixTimestamp64Nano(DetectedAt) AS DetectedNs,"
            + " toUnixTimestamp64Nano(WindowStart) AS WindowStartNs,"
            + " toUnixTimestamp64Nano(WindowEnd) AS WindowEndNs, Observed, Expected, Score,"
            + " Status, Summary, toJSONString(Attributes) AS AttributesJson"
            + " FROM anomalies FINAL WHERE Project = ? AND DetectedAt >= ? AND DetectedAt < ?"
            + (status.isEmpty() ? "" : " AND Status = ?")
            + " ORDER BY DetectedAt DESC, Id",
        args);
  }

  static Anomaly readAnomaly(ResultSet rs) throws SQLException {
    return new Anomaly(
        rs.getString("Project"),
        rs.getString("Id"),
        rs.getString("Kind"),
        rs.getString("Entity"),
        rs.getString("Metric"),
        Sql.instant(rs.getLong("DetectedNs")),
        Sql.instant(rs.getLong("WindowStartNs")),
        Sql.instant(rs.getLong("WindowEndNs")),
        rs.getDouble("Observed"),
        rs.getDouble("Expected"),
        rs.getDouble("Score"),
        rs.getString("Status"),
        rs.getString("Summary"),
        Json.stringMap(rs.getString("AttributesJson")));
  }

  static final String INSERT_PRICE_OVERRIDE =
      "INSERT INTO price_overrides (Project, Provider, Model, Pricing, Version)"
          + " VALUES (?, ?, ?, ?, ?)";

  static Sql priceOverrides(String project) {
    return Sql.of(
        "SELECT Pricing FROM price_overrides FINAL WHERE Project = ? ORDER BY Provider, Model",
        project);
  }

  static final String INSERT_STATE =
      "INSERT INTO pipeline_state (Key, Value, Version) VALUES (?, ?, ?)";

  static Sql state(String key) {
    return Sql.of("SELECT Value FROM pipeline_state FINAL WHERE Key = ?", key);
  }
}
