package io.agentledger.store.clickhouse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The statements that find a chain's spans. A chain lookup first reads the chain's span time range
 * from {@code trace_index}, then reads {@code spans} within that range only, which prunes every
 * daily partition and every hour of the sorting key outside it.
 */
final class Lookups {

  private Lookups() {}

  static Sql traceRanges(String project, Collection<String> traceIds) {
    List<Object> args = new ArrayList<>();
    args.add(project);
    args.addAll(traceIds);
    return new Sql(
        "SELECT TraceId, toUnixTimestamp64Nano(min(Start)) AS StartNs,"
            + " toUnixTimestamp64Nano(max(`End`)) AS EndNs FROM trace_index"
            + " WHERE Project = ? AND TraceId IN ("
            + Sql.placeholders(traceIds.size())
            + ") GROUP BY TraceId",
        args);
  }

  /** The ids of stored spans (any version) of the chains, within their known time range. */
  static Sql storedSpanIds(String project, Collection<String> traceIds, long loNs, long hiNs) {
    return inRange("SELECT DISTINCT TraceId, SpanId FROM spans", project, traceIds, loNs, hiNs);
  }

  /** The latest version of every span of the chains. */
  static Sql chainSpans(String project, Collection<String> traceIds, long loNs, long hiNs) {
    return inRange(
        "SELECT " + SpanRows.SELECT + " FROM spans FINAL", project, traceIds, loNs, hiNs);
  }

  /** What a settlement may change, and what a rewrite must keep, of the chains' spans. */
  static Sql settledFields(String project, Collection<String> traceIds, long loNs, long hiNs) {
    return inRange(
        "SELECT TraceId, SpanId, toUnixTimestamp64Nano(Timestamp) AS StartNs, BillingRole,"
            + " AttributedAgent, ChainSessionId, ChainUserId,"
            + " toUnixTimestamp64Micro(IngestedAt) AS IngestedUs FROM spans FINAL",
        project,
        traceIds,
        loNs,
        hiNs);
  }

  private static Sql inRange(
      String select, String project, Collection<String> traceIds, long loNs, long hiNs) {
    List<Object> args = new ArrayList<>();
    args.add(project);
    args.add(Sql.instant(loNs));
    args.add(Sql.instant(hiNs));
    args.addAll(traceIds);
    return new Sql(
        select
            + " WHERE Project = ? AND Timestamp >= ? AND Timestamp <= ? AND TraceId IN ("
            + Sql.placeholders(traceIds.size())
            + ")",
        args);
  }

  /**
   * Chains whose newest span was stored in {@code (after, upTo]}. Rows after {@code after} hold
   * each such chain's newest store time, so the older rows need not be read.
   */
  static Sql chainsTouched(Instant after, Instant upTo, int limit) {
    return Sql.of(
        "SELECT Project, TraceId, toUnixTimestamp64Micro(max(IngestedAt)) AS LastUs"
            + " FROM chain_activity WHERE IngestedAt > ? GROUP BY Project, TraceId"
            + " HAVING max(IngestedAt) <= ? ORDER BY LastUs, Project, TraceId LIMIT ?",
        after,
        upTo,
        limit);
  }

  static final String INSERT_TRACE_INDEX =
      "INSERT INTO trace_index (Project, TraceId, Start, `End`) VALUES (?, ?, ?, ?)";

  static final String INSERT_ACTIVITY =
      "INSERT INTO chain_activity (IngestedAt, Project, TraceId) VALUES (?, ?, ?)";
}
