package io.agentledger.store.clickhouse;

import io.agentledger.store.Regression;
import io.agentledger.store.TimeRange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The regressions the analyzer finds ({@code agent_regressions}), as rows and statements. */
final class RegressionRows {

  private RegressionRows() {}

  static final String INSERT =
      "INSERT INTO agent_regressions (Project, Id, Kind, Agent, Metric, BeforeVersion, BeforeFrom,"
          + " BeforeTo, BeforeMedian, BeforeRuns, AfterVersion, AfterFrom, AfterTo, AfterMedian,"
          + " AfterRuns, Effect, EffectLow, EffectHigh, PValue, Direction, DetectedAt,"
          + " ExampleTraceIds, Status, LastSeen, Version) VALUES ("
          + Sql.placeholders(25)
          + ")";

  static List<Object> values(Regression r, long version) {
    List<Object> row = new ArrayList<>(25);
    row.addAll(Arrays.asList(r.project(), r.id(), r.kind(), r.agent(), r.metric()));
    addSegment(row, r.before());
    addSegment(row, r.after());
    row.addAll(
        Arrays.asList(
            r.effect(),
            r.effectLow(),
            r.effectHigh(),
            r.pValue(),
            r.direction(),
            r.detectedAt(),
            r.exampleTraceIds(),
            r.status(),
            r.lastSeen(),
            version));
    return row;
  }

  private static void addSegment(List<Object> row, Regression.Segment s) {
    row.addAll(Arrays.asList(s.version(), s.from(), s.to(), s.median(), (long) s.runs()));
  }

  static Sql select(String project, TimeRange range, String agent) {
    List<Object> args = new ArrayList<>(List.of(project, range.from(), range.to()));
    if (!agent.isEmpty()) {
      args.add(agent);
    }
    return new Sql(
        "SELECT Project, Id, Kind, Agent, Metric, BeforeVersion,"
            + " toUnixTimestamp64Nano(BeforeFrom) AS BeforeFromNs,"
            + " toUnixTimestamp64Nano(BeforeTo) AS BeforeToNs, BeforeMedian, BeforeRuns,"
            + " AfterVersion, toUnixTimestamp64Nano(AfterFrom) AS AfterFromNs,"
            + " toUnixTimestamp64Nano(AfterTo) AS AfterToNs, AfterMedian, AfterRuns, Effect,"
            + " EffectLow, EffectHigh, PValue, Direction,"
            + " toUnixTimestamp64Nano(DetectedAt) AS DetectedNs,"
            + " toJSONString(ExampleTraceIds) AS ExampleTraceIdsJson, Status,"
            + " toUnixTimestamp64Nano(LastSeen) AS LastSeenNs"
            + " FROM agent_regressions FINAL WHERE Project = ? AND LastSeen >= ?"
            + " AND DetectedAt < ?"
            + (agent.isEmpty() ? "" : " AND Agent = ?")
            + " ORDER BY DetectedAt DESC, Id",
        args);
  }

  static Regression read(ResultSet rs) throws SQLException {
    return new Regression(
        rs.getString("Project"),
        rs.getString("Id"),
        rs.getString("Kind"),
        rs.getString("Agent"),
        rs.getString("Metric"),
        segment(rs, "Before"),
        segment(rs, "After"),
        rs.getDouble("Effect"),
        rs.getDouble("EffectLow"),
        rs.getDouble("EffectHigh"),
        rs.getDouble("PValue"),
        rs.getString("Direction"),
        Sql.instant(rs.getLong("DetectedNs")),
        Json.strings(rs.getString("ExampleTraceIdsJson")),
        rs.getString("Status"),
        Sql.instant(rs.getLong("LastSeenNs")));
  }

  private static Regression.Segment segment(ResultSet rs, String prefix) throws SQLException {
    return new Regression.Segment(
        rs.getString(prefix + "Version"),
        Sql.instant(rs.getLong(prefix + "FromNs")),
        Sql.instant(rs.getLong(prefix + "ToNs")),
        rs.getDouble(prefix + "Median"),
        (int) rs.getLong(prefix + "Runs"));
  }
}
