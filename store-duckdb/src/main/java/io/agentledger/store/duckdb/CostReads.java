package io.agentledger.store.duckdb;

import io.agentledger.core.rollup.UsageTotals;
import io.agentledger.store.AgentStats;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Aggregations over billable spans: cost groups and series, and agents. */
final class CostReads {

  private static final Map<CostDimension, String> DIMENSION_SQL = dimensionSql();

  private static final String MEASURES =
      "coalesce(sum(cost_usd), 0) AS cost, sum(input_tokens), sum(output_tokens),"
          + " sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens),"
          + " count(*) FILTER (WHERE span_type IN ('llm', 'embedding')) AS llm_calls";

  private final Database db;

  CostReads(Database db) {
    this.db = db;
  }

  private static Map<CostDimension, String> dimensionSql() {
    Map<CostDimension, String> m = new EnumMap<>(CostDimension.class);
    m.put(CostDimension.PROVIDER, "provider");
    m.put(
        CostDimension.MODEL,
        "CASE WHEN response_model <> '' THEN response_model ELSE request_model END");
    m.put(CostDimension.AGENT, "attributed_agent");
    m.put(CostDimension.AGENT_VERSION, "agent_version");
    m.put(CostDimension.SERVICE, "service_name");
    m.put(CostDimension.SERVICE_VERSION, "service_version");
    m.put(CostDimension.TOOL, "tool_name");
    m.put(CostDimension.SESSION_ID, "chain_session_id");
    m.put(CostDimension.USER_ID, "chain_user_id");
    return m;
  }

  CostReport costs(String project, CostQuery q) {
    List<CostDimension> dims = q.groupBy();
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < dims.size(); i++) {
      keys.append(DIMENSION_SQL.get(dims.get(i))).append(" AS k").append(i).append(", ");
    }
    // Equal costs in key order, as ClickHouse answers: the same request, the same list.
    StringBuilder tieBreak = new StringBuilder();
    for (int i = 0; i < dims.size(); i++) {
      tieBreak.append(", k").append(i);
    }
    StringBuilder where =
        new StringBuilder(
            " FROM spans WHERE project = ? AND billing_role = 'billable'"
                + " AND start_ns >= ? AND start_ns < ?");
    List<Object> args =
        new ArrayList<>(List.of(project, q.range().fromEpochNanos(), q.range().toEpochNanos()));
    q.where()
        .forEach(
            (dim, value) -> {
              where.append(" AND (").append(DIMENSION_SQL.get(dim)).append(") = ?");
              args.add(value);
            });
    String groupBy = dims.isEmpty() ? "" : " GROUP BY ALL";
    return db.read(
        "aggregating costs",
        c -> {
          Map<List<String>, CostReport.Group> groups = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + keys
                      + MEASURES
                      + ", count(DISTINCT trace_id),"
                      + " count(*) FILTER (WHERE cost_source = 'unknown'), count(*)"
                      + where
                      + groupBy
                      + " ORDER BY cost DESC"
                      + tieBreak)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int n = dims.size();
                if (rs.getLong(n + 10) == 0) {
                  continue; // no spans at all: no group
                }
                List<String> key = keyOf(rs, n);
                groups.put(
                    key,
                    new CostReport.Group(
                        CostDimension.keyMap(dims, key),
                        rs.getBigDecimal(n + 1),
                        usage(rs, n + 2),
                        rs.getLong(n + 7),
                        rs.getLong(n + 8),
                        rs.getLong(n + 9),
                        List.of()));
              }
            }
          }
          if (q.interval().isEmpty() || groups.isEmpty()) {
            return new CostReport(List.copyOf(groups.values()));
          }
          long step = q.interval().get().toNanos();
          Map<List<String>, List<CostReport.Bucket>> series = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + keys
                      + "(start_ns // "
                      + step
                      + ") * "
                      + step
                      + " AS bucket, "
                      + MEASURES
                      + where
                      + " GROUP BY ALL ORDER BY bucket")) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int n = dims.size();
                series
                    .computeIfAbsent(keyOf(rs, n), k -> new ArrayList<>())
                    .add(
                        new CostReport.Bucket(
                            Database.instant(rs.getLong(n + 1)),
                            rs.getBigDecimal(n + 2),
                            usage(rs, n + 3),
                            rs.getLong(n + 8)));
              }
            }
          }
          List<CostReport.Group> out = new ArrayList<>();
          groups.forEach((key, g) -> out.add(g.withSeries(series.getOrDefault(key, List.of()))));
          return new CostReport(out);
        });
  }

  List<AgentStats> agents(String project, TimeRange range) {
    return db.read(
        "listing agents",
        c -> {
          List<AgentStats> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT attributed_agent,"
                      + " list(DISTINCT agent_version ORDER BY agent_version) FILTER"
                      + " (WHERE agent_version <> '' AND agent_name = attributed_agent),"
                      + " count(DISTINCT trace_id),"
                      + " count(*) FILTER (WHERE billing_role = 'billable'"
                      + " AND span_type IN ('llm', 'embedding')),"
                      + " count(*) FILTER (WHERE span_type = 'tool'),"
                      + " coalesce(sum(cost_usd) FILTER (WHERE billing_role = 'billable'), 0) AS cost,"
                      + " count(*) FILTER (WHERE billing_role = 'billable'"
                      + " AND cost_source = 'unknown'),"
                      + " coalesce(sum(cost_usd) FILTER (WHERE billing_role = 'billable'"
                      + " AND starts_with(coalesce(priced_as, ''), 'tool:')), 0)"
                      + " FROM spans WHERE project = ? AND start_ns >= ? AND start_ns < ?"
                      + " AND attributed_agent <> '' GROUP BY attributed_agent"
                      + " ORDER BY cost DESC, attributed_agent")) {
            ps.setString(1, project);
            ps.setLong(2, range.fromEpochNanos());
            ps.setLong(3, range.toEpochNanos());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AgentStats(
                        rs.getString(1),
                        versions(rs.getArray(2)),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getBigDecimal(6),
                        rs.getLong(7),
                        rs.getBigDecimal(8)));
              }
            }
          }
          return out;
        });
  }

  private static List<String> versions(java.sql.Array array) throws SQLException {
    List<String> versions = new ArrayList<>();
    if (array != null) {
      for (Object v : (Object[]) array.getArray()) {
        versions.add(String.valueOf(v));
      }
    }
    return versions;
  }

  private static UsageTotals usage(ResultSet rs, int first) throws SQLException {
    return new UsageTotals(
        rs.getLong(first),
        rs.getLong(first + 1),
        rs.getLong(first + 2),
        rs.getLong(first + 3),
        rs.getLong(first + 4));
  }

  private static List<String> keyOf(ResultSet rs, int n) throws SQLException {
    List<String> key = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      key.add(rs.getString(i));
    }
    return key;
  }
}
