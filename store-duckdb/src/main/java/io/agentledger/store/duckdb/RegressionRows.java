package io.agentledger.store.duckdb;

import static io.agentledger.store.duckdb.Database.instant;
import static io.agentledger.store.duckdb.Database.nanos;

import com.fasterxml.jackson.core.type.TypeReference;
import io.agentledger.store.Regression;
import io.agentledger.store.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The regressions the analyzer finds: the {@code regressions} table. */
final class RegressionRows {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private static final String COLUMNS =
      "project, id, kind, agent, metric, before_version, before_from_ns, before_to_ns,"
          + " before_median, before_runs, after_version, after_from_ns, after_to_ns, after_median,"
          + " after_runs, effect, effect_low, effect_high, p_value, direction, detected_ns,"
          + " example_trace_ids, status, last_seen_ns";

  private final Database db;

  RegressionRows(Database db) {
    this.db = db;
  }

  void save(List<Regression> regressions) {
    db.writeAll(
        "saving regressions",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement(
                  "INSERT OR REPLACE INTO regressions ("
                      + COLUMNS
                      + ") VALUES ("
                      + Database.placeholders(24)
                      + ")")) {
            for (Regression r : regressions) {
              List<Object> args = new ArrayList<>(24);
              args.addAll(List.of(r.project(), r.id(), r.kind(), r.agent(), r.metric()));
              addSegment(args, r.before());
              addSegment(args, r.after());
              args.addAll(
                  List.of(
                      r.effect(),
                      r.effectLow(),
                      r.effectHigh(),
                      r.pValue(),
                      r.direction(),
                      nanos(r.detectedAt()),
                      SpanRows.json(r.exampleTraceIds()),
                      r.status(),
                      nanos(r.lastSeen())));
              Database.bind(ps, args);
              ps.executeUpdate();
            }
          }
        });
  }

  private static void addSegment(List<Object> args, Regression.Segment s) {
    args.addAll(List.of(s.version(), nanos(s.from()), nanos(s.to()), s.median(), s.runs()));
  }

  List<Regression> read(String project, TimeRange range, String agent) {
    String sql =
        "SELECT * FROM regressions WHERE project = ? AND last_seen_ns >= ? AND detected_ns < ?"
            + (agent.isEmpty() ? "" : " AND agent = ?")
            + " ORDER BY detected_ns DESC, id";
    List<Object> args =
        new ArrayList<>(List.of(project, range.fromEpochNanos(), range.toEpochNanos()));
    if (!agent.isEmpty()) {
      args.add(agent);
    }
    return db.read(
        "reading regressions",
        c -> {
          List<Regression> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(row(rs));
              }
            }
          }
          return out;
        });
  }

  private static Regression row(ResultSet rs) throws SQLException {
    return new Regression(
        rs.getString("project"),
        rs.getString("id"),
        rs.getString("kind"),
        rs.getString("agent"),
        rs.getString("metric"),
        segment(rs, "before_"),
        segment(rs, "after_"),
        rs.getDouble("effect"),
        rs.getDouble("effect_low"),
        rs.getDouble("effect_high"),
        rs.getDouble("p_value"),
        rs.getString("direction"),
        instant(rs.getLong("detected_ns")),
        SpanRows.parse(rs.getString("example_trace_ids"), STRINGS),
        rs.getString("status"),
        instant(rs.getLong("last_seen_ns")));
  }

  private static Regression.Segment segment(ResultSet rs, String prefix) throws SQLException {
    return new Regression.Segment(
        rs.getString(prefix + "version"),
        instant(rs.getLong(prefix + "from_ns")),
        instant(rs.getLong(prefix + "to_ns")),
        rs.getDouble(prefix + "median"),
        rs.getInt(prefix + "runs"));
  }
}
