package io.agentledger.store.clickhouse;

import io.agentledger.store.RunSummary;
import io.agentledger.store.TimeRange;
import io.agentledger.store.paths.LogHistogram;
import io.agentledger.store.paths.PathGroup;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The runs of agents ({@code runs}): rows and tombstones for {@link
 * ClickHouseSpanStore#replaceRuns}, and the queries that read them back and group them by path.
 */
final class RunRows {

  static final String INSERT =
      "INSERT INTO runs (Project, Agent, TraceId, SpanId, AgentVersion, Service, UserId,"
          + " SessionId, StartTime, DurationMs, CostUsd, CostComplete, InputTokens, OutputTokens,"
          + " LlmCalls, ToolCalls, Errors, Retries, Models, Path, Behaviours, Version, Deleted,"
          + " CostBucket, DurationBucket) VALUES ("
          + Sql.placeholders(25)
          + ")";

  private static final String SELECT =
      "Project, Agent, TraceId, SpanId, AgentVersion, Service, UserId, SessionId,"
          + " toUnixTimestamp64Nano(StartTime) AS StartNs, DurationMs, CostUsd, CostComplete,"
          + " InputTokens, OutputTokens, LlmCalls, ToolCalls, Errors, Retries,"
          + " toJSONString(Models) AS ModelsJson, toJSONString(Path) AS PathJson,"
          + " toJSONString(Behaviours) AS BehavioursJson";

  private RunRows() {}

  /**
   * A stored run as its tombstone repeats it: the sorting key, and what queries filter on (so the
   * tombstone meets the stored row whether a filter applies before FINAL or after).
   */
  record Key(String agent, String traceId, String spanId, String agentVersion, long startNs) {}

  static List<Object> values(RunSummary r, long version) {
    return Arrays.asList(
        r.project(),
        r.agent(),
        r.traceId(),
        r.spanId(),
        r.agentVersion(),
        r.service(),
        r.userId(),
        r.sessionId(),
        r.startTime(),
        r.durationMs(),
        r.costUsd(),
        r.costComplete(),
        r.inputTokens(),
        r.outputTokens(),
        r.llmCalls(),
        r.toolCalls(),
        r.errors(),
        r.retries(),
        r.models(),
        r.path(),
        r.behaviours(),
        version,
        0,
        LogHistogram.bucketOf(r.costUsd().doubleValue()),
        LogHistogram.bucketOf(r.durationMs()));
  }

  /** A row that FINAL reads as "this run is gone". */
  static List<Object> tombstone(String project, Key key, long version) {
    return Arrays.asList(
        project,
        key.agent(),
        key.traceId(),
        key.spanId(),
        key.agentVersion(),
        "",
        "",
        "",
        Sql.instant(key.startNs()),
        0L,
        BigDecimal.ZERO,
        true,
        0L,
        0L,
        0,
        0,
        0,
        0,
        List.of(),
        List.of(),
        Map.of(),
        version,
        1,
        LogHistogram.ZERO_BUCKET,
        LogHistogram.ZERO_BUCKET);
  }

  /** The keys of the stored runs of the chains. */
  static Sql storedKeys(String project, Collection<String> traceIds) {
    List<Object> args = new ArrayList<>(traceIds.size() + 1);
    args.add(project);
    args.addAll(traceIds);
    return new Sql(
        "SELECT Agent, TraceId, SpanId, AgentVersion, toUnixTimestamp64Nano(StartTime) AS StartNs"
            + " FROM runs FINAL WHERE Project = ? AND TraceId IN ("
            + Sql.placeholders(traceIds.size())
            + ")",
        args);
  }

  static Key readKey(ResultSet rs) throws SQLException {
    return new Key(
        rs.getString("Agent"),
        rs.getString("TraceId"),
        rs.getString("SpanId"),
        rs.getString("AgentVersion"),
        rs.getLong("StartNs"));
  }

  static Sql runs(String project, String agent, String agentVersion, TimeRange range, int limit) {
    Filter f = new Filter(project, agent, agentVersion, range);
    List<Object> args = new ArrayList<>(f.args);
    args.add(limit);
    return new Sql(
        "SELECT "
            + SELECT
            + " FROM runs FINAL WHERE "
            + f.sql
            + " ORDER BY StartTime, TraceId, SpanId LIMIT ?",
        args);
  }

  static RunSummary read(ResultSet rs) throws SQLException {
    return new RunSummary(
        rs.getString("Project"),
        rs.getString("TraceId"),
        rs.getString("SpanId"),
        rs.getString("Agent"),
        rs.getString("AgentVersion"),
        rs.getString("Service"),
        rs.getString("UserId"),
        rs.getString("SessionId"),
        Sql.instant(rs.getLong("StartNs")),
        rs.getLong("DurationMs"),
        rs.getBigDecimal("CostUsd"),
        rs.getBoolean("CostComplete"),
        rs.getLong("InputTokens"),
        rs.getLong("OutputTokens"),
        rs.getInt("LlmCalls"),
        rs.getInt("ToolCalls"),
        rs.getInt("Errors"),
        rs.getInt("Retries"),
        Json.strings(rs.getString("ModelsJson")),
        Json.strings(rs.getString("PathJson")),
        Json.stringMap(rs.getString("BehavioursJson")));
  }

  /** One row per distinct path: counts, sums, extremes and example chains. */
  static Sql pathGroups(String project, String agent, String agentVersion, TimeRange range) {
    Filter f = new Filter(project, agent, agentVersion, range);
    return new Sql(
        "SELECT PathKey, toJSONString(any(Path)) AS PathJson, count() AS Runs,"
            + " countIf(Errors > 0) AS ErrorRuns, sum(CostUsd) AS Cost, sum(DurationMs) AS Duration,"
            + " min(toFloat64(CostUsd)) AS CostMin, max(toFloat64(CostUsd)) AS CostMax,"
            + " min(DurationMs) AS DurationMin, max(DurationMs) AS DurationMax,"
            + " argMax(TraceId, StartTime) AS Latest, argMax(TraceId, CostUsd) AS Priciest,"
            + " argMax(TraceId, DurationMs) AS Slowest"
            + " FROM runs FINAL WHERE "
            + f.sql
            + " GROUP BY PathKey ORDER BY Runs DESC, PathJson",
        f.args);
  }

  /** Bucket counts per path (key) and metric, counted in one scan. */
  static Sql pathHistograms(String project, String agent, String agentVersion, TimeRange range) {
    Filter f = new Filter(project, agent, agentVersion, range);
    return new Sql(
        "SELECT PathKey, CostBucket, DurationBucket, grouping(CostBucket) AS ByDuration,"
            + " count() AS N FROM runs FINAL WHERE "
            + f.sql
            + " GROUP BY GROUPING SETS ((PathKey, CostBucket), (PathKey, DurationBucket))",
        f.args);
  }

  static PathGroup readGroup(
      ResultSet rs, NavigableMap<Integer, Long> cost, NavigableMap<Integer, Long> duration)
      throws SQLException {
    return new PathGroup(
        Json.strings(rs.getString("PathJson")),
        rs.getLong("Runs"),
        rs.getLong("ErrorRuns"),
        rs.getBigDecimal("Cost"),
        rs.getLong("Duration"),
        new LogHistogram(cost, rs.getDouble("CostMin"), rs.getDouble("CostMax")),
        new LogHistogram(duration, rs.getDouble("DurationMin"), rs.getDouble("DurationMax")),
        PathGroup.examples(
            rs.getString("Latest"), rs.getString("Priciest"), rs.getString("Slowest")));
  }

  /** The WHERE clause of a run query and its arguments. */
  private static final class Filter {
    final String sql;
    final List<Object> args;

    Filter(String project, String agent, String agentVersion, TimeRange range) {
      StringBuilder sql = new StringBuilder("Project = ?");
      List<Object> args = new ArrayList<>(List.of(project));
      if (!agent.isEmpty()) {
        sql.append(" AND Agent = ?");
        args.add(agent);
      }
      sql.append(" AND StartTime >= ? AND StartTime < ?");
      args.add(range.from());
      args.add(range.to());
      if (!agentVersion.isEmpty()) {
        sql.append(" AND AgentVersion = ?");
        args.add(agentVersion);
      }
      this.sql = sql.toString();
      this.args = args;
    }
  }
}
