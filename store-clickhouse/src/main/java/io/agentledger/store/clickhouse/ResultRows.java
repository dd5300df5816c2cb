package io.agentledger.store.clickhouse;

import io.agentledger.store.Regression;
import io.agentledger.store.TimeRange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** The analyzer's results and the pipeline's small state, as rows and statements. */
final class ResultRows {

  private ResultRows() {}

  static final String INSERT_REGRESSION =
      "INSERT INTO regressions (Project, Id, Agent, Metric, BaselineVersion, CandidateVersion,"
          + " BaselineValue, CandidateValue, Change, PValue, DetectedAt, Status, Attributes,"
          + " Version) VALUES ("
          + Sql.placeholders(14)
          + ")";

  static List<Object> values(Regression r, long version) {
    return Arrays.asList(
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
        r.detectedAt(),
        r.status(),
        r.attributes(),
        version);
  }

  static Sql regressions(String project, TimeRange range) {
    return Sql.of(
        "SELECT Project, Id, Agent, Metric, BaselineVersion, CandidateVersion, BaselineValue,"
            + " CandidateValue, Change, PValue, toUnixTimestamp64Nano(DetectedAt) AS DetectedNs,"
            + " Status, toJSONString(Attributes) AS AttributesJson FROM regressions FINAL"
            + " WHERE Project = ? AND DetectedAt >= ? AND DetectedAt < ?"
            + " ORDER BY DetectedAt DESC, Id",
        project,
        range.from(),
        range.to());
  }

  static Regression readRegression(ResultSet rs) throws SQLException {
    return new Regression(
        rs.getString("Project"),
        rs.getString("Id"),
        rs.getString("Agent"),
        rs.getString("Metric"),
        rs.getString("BaselineVersion"),
        rs.getString("CandidateVersion"),
        rs.getDouble("BaselineValue"),
        rs.getDouble("CandidateValue"),
        rs.getDouble("Change"),
        rs.getDouble("PValue"),
        Sql.instant(rs.getLong("DetectedNs")),
        rs.getString("Status"),
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
