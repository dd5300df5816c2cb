package io.agentledger.store.clickhouse;

import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.store.ChainCursor;
import io.agentledger.store.ChainPages;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQuery;
import io.agentledger.store.TimeRange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The listing and aggregation statements. Every one is scoped to one project, reads with FINAL (so
 * the newest version of each row counts once, before any merge) and gives the answers the DuckDB
 * adapter gives.
 */
final class Listings {

  private Listings() {}

  // --- chains -------------------------------------------------------------------------------

  /**
   * One page of settled chains, plus one row to tell whether another page follows ({@link
   * ChainPages}).
   */
  static Sql chains(String project, ChainQuery q) {
    Optional<ChainCursor> after = ChainPages.after(q);
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + ChainRows.SELECT
                + " FROM chains FINAL WHERE Project = ? AND StartTime >= ? AND StartTime < ?");
    List<Object> args = new ArrayList<>(List.of(project, q.range().from(), q.range().to()));
    if (!q.service().isEmpty()) {
      sql.append(" AND Service = ?");
      args.add(q.service());
    }
    if (!q.agent().isEmpty()) {
      // The chain's own agent, or any agent a span of it in the range is attributed to.
      sql.append(
          " AND (Agent = ? OR TraceId IN (SELECT TraceId FROM spans FINAL WHERE Project = ?"
              + " AND AttributedAgent = ? AND Timestamp >= ? AND Timestamp < ?))");
      args.addAll(List.of(q.agent(), project, q.agent(), q.range().from(), q.range().to()));
    }
    if (!q.sessionId().isEmpty()) {
      sql.append(" AND SessionId = ?");
      args.add(q.sessionId());
    }
    if (!q.userId().isEmpty()) {
      sql.append(" AND UserId = ?");
      args.add(q.userId());
    }
    if (!q.workflowId().isEmpty()) {
      sql.append(" AND WorkflowId = ?");
      args.add(q.workflowId());
    }
    q.minCostUsd()
        .ifPresent(
            min -> {
              sql.append(" AND CostUsd >= ").append(decimal());
              args.add(decimalArg(min));
            });
    boolean byStart = q.order() == ChainQuery.Order.START;
    String sortColumn = byStart ? "StartTime" : "CostUsd";
    String value = byStart ? "?" : decimal();
    after.ifPresent(
        cur -> {
          sql.append(" AND (")
              .append(sortColumn)
              .append(" < ")
              .append(value)
              .append(" OR (")
              .append(sortColumn)
              .append(" = ")
              .append(value)
              .append(" AND TraceId < ?))");
          Object key = byStart ? Sql.instant(cur.startEpochNanos()) : decimalArg(cur.costUsd());
          args.addAll(List.of(key, key, cur.traceId()));
        });
    sql.append(" ORDER BY ").append(sortColumn).append(" DESC, TraceId DESC LIMIT ?");
    args.add(ChainPages.lookAhead(q));
    return new Sql(sql.toString(), args);
  }

  /** The largest value of a {@code Decimal(38, 12)} column. */
  private static final BigDecimal COLUMN_MAX =
      new BigDecimal("1e26").subtract(new BigDecimal("1e-12"));

  /**
   * A dollar amount as the text {@link #decimal()} reads, bounded to the column before it is
   * written out: {@code toPlainString()} of {@code 1e999999999} (a crafted minimum or cursor) is a
   * gigabyte. Rounded up to the column's 12 places, which keeps {@code >=} and {@code <} against
   * stored values exact; values beyond the column are clamped to its limit.
   */
  static String decimalArg(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    long exponent = (long) value.precision() - value.scale() - 1; // of the leading digit
    if (exponent >= 26) {
      return (value.signum() > 0 ? COLUMN_MAX : COLUMN_MAX.negate()).toPlainString();
    }
    if (exponent < -13) {
      return value.signum() > 0 ? "0.000000000001" : "0";
    }
    return value.setScale(12, RoundingMode.CEILING).toPlainString();
  }

  /** A dollar amount bound as exact text: a bare literal would be read as a float. */
  private static String decimal() {
    return "toDecimal128(?, 12)";
  }

  static Sql chainSummary(String project, String traceId) {
    return Sql.of(
        "SELECT " + ChainRows.SELECT + " FROM chains FINAL WHERE Project = ? AND TraceId = ?",
        project,
        traceId);
  }

  static Sql workflowChains(String project, String workflowId) {
    return Sql.of(
        "SELECT TraceId FROM chains FINAL WHERE Project = ? AND WorkflowId = ?"
            + " ORDER BY StartTime, TraceId",
        project,
        workflowId);
  }

  static Sql sessionChains(String project, String sessionId) {
    return Sql.of(
        "SELECT TraceId FROM chains FINAL WHERE Project = ? AND SessionId = ?"
            + " ORDER BY StartTime, TraceId",
        project,
        sessionId);
  }

  // --- costs --------------------------------------------------------------------------------

  /** The spans column each dimension groups by. */
  static final Map<CostDimension, String> DIMENSION_COLUMNS = dimensionColumns();

  private static Map<CostDimension, String> dimensionColumns() {
    Map<CostDimension, String> m = new EnumMap<>(CostDimension.class);
    m.put(CostDimension.PROVIDER, "Provider");
    m.put(CostDimension.MODEL, "Model");
    m.put(CostDimension.AGENT, "AttributedAgent");
    m.put(CostDimension.AGENT_VERSION, "AgentVersion");
    m.put(CostDimension.SERVICE, "ServiceName");
    m.put(CostDimension.SERVICE_VERSION, "ServiceVersion");
    m.put(CostDimension.TOOL, "ToolName");
    m.put(CostDimension.SESSION_ID, "ChainSessionId");
    m.put(CostDimension.USER_ID, "ChainUserId");
    return Map.copyOf(m);
  }

  private static final String MEASURES =
      "ifNull(sum(CostUsd), toDecimal128(0, 12)) AS cost, sum(InputTokens) AS input_tokens,"
          + " sum(OutputTokens) AS output_tokens, sum(CacheReadTokens) AS cache_read_tokens,"
          + " sum(CacheWriteTokens) AS cache_write_tokens,"
          + " sum(ReasoningTokens) AS reasoning_tokens,"
          + " countIf(SpanType IN ('llm', 'embedding')) AS llm_calls";

  private static final String BILLABLE_IN_RANGE =
      " FROM spans FINAL WHERE Project = ? AND Timestamp >= ? AND Timestamp < ?"
          + " AND BillingRole = 'billable'";

  /**
   * One row per group of billable spans (one row in all without dimensions, where {@code
   * span_count} tells whether there were any), most expensive first.
   */
  static Sql costGroups(String project, CostQuery q) {
    String keys = keys(q.groupBy());
    String groupBy = q.groupBy().isEmpty() ? "" : " GROUP BY " + keyAliases(q.groupBy());
    String tieBreak = q.groupBy().isEmpty() ? "" : ", " + keyAliases(q.groupBy());
    return Sql.of(
        "SELECT "
            + keys
            + MEASURES
            + ", uniqExact(TraceId) AS chain_count,"
            + " countIf(CostSource = 'unknown') AS unpriced_calls, count() AS span_count"
            + BILLABLE_IN_RANGE
            + matching(q)
            + groupBy
            + " ORDER BY cost DESC"
            + tieBreak,
        args(project, q));
  }

  /** Per group and interval bucket (aligned to the epoch), oldest bucket first. */
  static Sql costSeries(String project, CostQuery q) {
    long step = q.interval().orElseThrow().toNanos();
    String keys = keys(q.groupBy());
    String groupBy = q.groupBy().isEmpty() ? "bucket" : keyAliases(q.groupBy()) + ", bucket";
    return Sql.of(
        "SELECT "
            + keys
            + bucket(step)
            + " AS bucket, "
            + MEASURES
            + BILLABLE_IN_RANGE
            + matching(q)
            + " GROUP BY "
            + groupBy
            + " ORDER BY bucket",
        args(project, q));
  }

  /** {@code AND key = ?} for each dimension the query keeps one value of. */
  private static String matching(CostQuery q) {
    StringBuilder out = new StringBuilder();
    q.where()
        .keySet()
        .forEach(
            d -> out.append(" AND toString(").append(DIMENSION_COLUMNS.get(d)).append(") = ?"));
    return out.toString();
  }

  private static Object[] args(String project, CostQuery q) {
    List<Object> args = new ArrayList<>(List.of(project, q.range().from(), q.range().to()));
    args.addAll(q.where().values());
    return args.toArray();
  }

  /** The start of the epoch-aligned bucket holding the span's start, in epoch nanoseconds. */
  static String bucket(long stepNanos) {
    return "toUnixTimestamp64Nano(Timestamp) - positiveModulo(toUnixTimestamp64Nano(Timestamp), "
        + stepNanos
        + ")";
  }

  private static String keys(List<CostDimension> dims) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < dims.size(); i++) {
      out.append("toString(")
          .append(DIMENSION_COLUMNS.get(dims.get(i)))
          .append(") AS k")
          .append(i)
          .append(", ");
    }
    return out.toString();
  }

  private static String keyAliases(List<CostDimension> dims) {
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < dims.size(); i++) {
      aliases.add("k" + i);
    }
    return String.join(", ", aliases);
  }

  // --- agents -------------------------------------------------------------------------------

  /**
   * {@link ToolPrice#PRICED_AS_PREFIX} as a ClickHouse expression, its colon spelled {@code
   * char(58)}: a colon in the text would read as a named placeholder.
   */
  static final String TOOL_PREFIX =
      "concat('" + ToolPrice.PRICED_AS_PREFIX.replace(":", "', char(58), '") + "')";

  /** Agents with spans attributed to them in the range, most expensive first. */
  static Sql agents(String project, TimeRange range) {
    return Sql.of(
        "SELECT AttributedAgent AS agent_name,"
            + " toJSONString(arraySort(groupUniqArrayIf(toString(AgentVersion),"
            + " AgentVersion != '' AND Agent = AttributedAgent))) AS versions_json,"
            + " uniqExact(TraceId) AS chain_count,"
            + " countIf(BillingRole = 'billable' AND SpanType IN ('llm', 'embedding'))"
            + " AS llm_calls,"
            + " countIf(SpanType = 'tool') AS tool_calls,"
            + " ifNull(sumIf(CostUsd, BillingRole = 'billable'), toDecimal128(0, 12)) AS cost,"
            + " countIf(BillingRole = 'billable' AND CostSource = 'unknown') AS unpriced_calls,"
            + " ifNull(sumIf(CostUsd, BillingRole = 'billable'"
            + " AND startsWith(ifNull(PricedAs, ''), "
            + TOOL_PREFIX
            + ")), toDecimal128(0, 12)) AS tool_cost"
            + " FROM spans FINAL WHERE Project = ? AND Timestamp >= ? AND Timestamp < ?"
            + " AND AttributedAgent != '' GROUP BY AttributedAgent"
            + " ORDER BY cost DESC, agent_name",
        project,
        range.from(),
        range.to());
  }
}
