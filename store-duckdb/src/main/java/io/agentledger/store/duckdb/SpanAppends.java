package io.agentledger.store.duckdb;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.AppendStamps;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends spans idempotently. Spans are bulk-loaded with DuckDB's Appender; the spans of chains
 * already stored go to a temporary staging table first and move into {@code spans} with an
 * anti-join against those chains' batches, which makes appends idempotent without a unique index on
 * ten million rows, while the spans of new chains (nearly all) are appended directly. Each batch
 * gets the next {@code batch_seq}, and {@code trace_index} records which batches hold each chain.
 */
final class SpanAppends {

  private static final String STAGING = "span_staging";
  private static final String BATCH_TRACES = "batch_traces";

  private final Database db;
  private final SpanResources resources;
  private final AtomicLong lastBatchSeq;
  private final AppendStamps stamps;
  private final Runnable beforeCommit;

  private SpanAppends(
      Database db,
      Clock clock,
      SpanResources resources,
      long lastBatchSeq,
      long lastIngestedMicros,
      Runnable beforeCommit) {
    this.db = db;
    this.resources = resources;
    this.lastBatchSeq = new AtomicLong(lastBatchSeq);
    this.stamps = new AppendStamps(clock, lastIngestedMicros);
    this.beforeCommit = beforeCommit;
  }

  /** The resources the appends stored, for readers. */
  SpanResources resources() {
    return resources;
  }

  /**
   * Creates the writers' temporary tables and reads where the last append left off.
   *
   * @param beforeCommit runs in every append's transaction just before it commits: a test holds an
   *     append open with it
   */
  static SpanAppends open(Database db, Clock clock, Runnable beforeCommit) {
    db.setUpEveryWriter(
        "preparing appends",
        w -> {
          try (Statement st = w.createStatement()) {
            st.execute("CREATE TEMP TABLE " + STAGING + " AS SELECT * FROM spans LIMIT 0");
            st.execute(
                "CREATE TEMP TABLE " + BATCH_TRACES + " (project VARCHAR, trace_id VARCHAR)");
          }
        });
    return db.write(
        "reading where the last append left off",
        w -> {
          try (Statement st = w.createStatement()) {
            try (ResultSet rs =
                st.executeQuery(
                    "SELECT coalesce(max(last_batch), 0), coalesce(max(last_ingested_us), 0)"
                        + " FROM trace_index")) {
              rs.next();
              return new SpanAppends(
                  db, clock, SpanResources.load(w), rs.getLong(1), rs.getLong(2), beforeCommit);
            }
          }
        });
  }

  /**
   * Appends on whichever writer is free: two consumers write at the same time. Two batches of one
   * chain at once (rare: a chain's spans share a Kafka partition, so one consumer) conflict on its
   * {@code trace_index} row at commit; the second then runs again, as a later batch that sees the
   * first.
   */
  int append(List<AgentSpan> spans) {
    if (spans.isEmpty()) {
      return 0;
    }
    Map<String, AgentSpan> unique = new LinkedHashMap<>();
    for (AgentSpan s : spans) {
      unique.putIfAbsent(s.project() + '\u0000' + s.traceId() + '\u0000' + s.spanId(), s);
    }
    return db.writeOnAny(
        "appending " + unique.size() + " spans",
        w -> {
          try {
            return appendOnce(w, unique.values());
          } catch (SQLException e) {
            if (!isConflict(e)) {
              throw e;
            }
            return appendOnce(w, unique.values());
          }
        });
  }

  /** See {@link io.agentledger.store.PipelineState#committedUpTo}. */
  Instant committedUpTo(Instant upTo) {
    return stamps.committedUpTo(upTo);
  }

  private int appendOnce(DuckDBConnection w, Collection<AgentSpan> spans) throws SQLException {
    // The stamp is taken before the transaction, which may commit seconds later on a loaded
    // machine with the other writer busy: in flight until then, so the settler waits for it.
    try (AppendStamps.Stamp stamp = stamps.begin()) {
      return appendOnce(w, spans, stamp.micros());
    }
  }

  private int appendOnce(DuckDBConnection w, Collection<AgentSpan> spans, long now)
      throws SQLException {
    long seq = lastBatchSeq.incrementAndGet();
    SpanResources.Batch fresh = resources.batch();
    SpanDetail detail = new SpanDetail();
    int inserted =
        Database.inTransaction(
            w,
            tx -> {
              KnownChains known = knownChains(tx, spans);
              List<AgentSpan> ofNewChains = new ArrayList<>(spans.size());
              List<AgentSpan> ofKnownChains = new ArrayList<>();
              for (AgentSpan s : spans) {
                (known.keys().contains(chainKey(s)) ? ofKnownChains : ofNewChains).add(s);
              }
              int n = 0;
              if (!ofNewChains.isEmpty()) {
                n += appendNewChains(tx, ofNewChains, seq, now, detail, fresh);
              }
              if (!ofKnownChains.isEmpty()) {
                n +=
                    mergeIntoKnownChains(
                        tx, ofKnownChains, seq, now, known.lo(), known.hi(), detail, fresh);
              }
              fresh.store(tx, detail);
              beforeCommit.run();
              return n;
            });
    fresh.committed();
    return inserted;
  }

  private static boolean isConflict(SQLException e) {
    // Only another writer's batch of the same chains can collide on this path: the batch's own
    // chains are unique, and known chains are upserted.
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return m.contains("conflict") || m.contains("constraint") || m.contains("duplicate key");
  }

  /** The batch's chains that already have spans, and the batch range those spans lie in. */
  private record KnownChains(Set<String> keys, long lo, long hi) {}

  private static String chainKey(AgentSpan s) {
    return s.project() + '\u0000' + s.traceId();
  }

  /**
   * Writes the batch's chains to {@value #BATCH_TRACES} and returns those of them already stored. A
   * batch usually holds a few chains begun in an earlier batch (a chain straddles the collector's
   * batches): only their spans take the staging path, the rest are appended straight away.
   */
  private static KnownChains knownChains(DuckDBConnection w, Collection<AgentSpan> spans)
      throws SQLException {
    try (Statement st = w.createStatement()) {
      st.execute("DELETE FROM " + BATCH_TRACES);
    }
    Set<String> seen = new HashSet<>();
    try (DuckDBAppender appender = w.createAppender("temp", "main", BATCH_TRACES)) {
      for (AgentSpan s : spans) {
        if (seen.add(chainKey(s))) {
          appender.beginRow();
          appender.append(s.project());
          appender.append(s.traceId());
          appender.endRow();
        }
      }
      appender.flush();
    }
    Set<String> keys = new HashSet<>();
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    try (Statement st = w.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT t.project, t.trace_id, t.first_batch, t.last_batch FROM trace_index t JOIN "
                    + BATCH_TRACES
                    + " b ON t.project = b.project AND t.trace_id = b.trace_id")) {
      while (rs.next()) {
        keys.add(rs.getString(1) + '\u0000' + rs.getString(2));
        lo = Math.min(lo, rs.getLong(3));
        hi = Math.max(hi, rs.getLong(4));
      }
    }
    return new KnownChains(keys, lo, hi);
  }

  /**
   * Spans of chains not stored yet cannot be duplicates: append them straight into the table
   * (inside the transaction), skipping the staging copy — nearly all of a batch. Their chains enter
   * {@code trace_index}; the batch's known chains are already there (the merge updates them).
   */
  private static int appendNewChains(
      DuckDBConnection w,
      Collection<AgentSpan> spans,
      long seq,
      long now,
      SpanDetail detail,
      SpanResources.Batch resources)
      throws SQLException {
    try (DuckDBAppender appender = w.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spans")) {
      for (AgentSpan s : spans) {
        SpanRows.append(appender, s, seq, now, detail, resources.idOf(s.resourceAttributes()));
      }
      appender.flush();
    }
    try (PreparedStatement ps =
        w.prepareStatement(
            "INSERT INTO trace_index SELECT project, trace_id, ?, ?, ? FROM "
                + BATCH_TRACES
                + " ON CONFLICT (project, trace_id) DO NOTHING")) {
      ps.setLong(1, seq);
      ps.setLong(2, seq);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
    return spans.size();
  }

  /** Chains with spans already: stage their spans and insert only those not yet stored. */
  private static int mergeIntoKnownChains(
      DuckDBConnection w,
      Collection<AgentSpan> spans,
      long seq,
      long now,
      long lo,
      long hi,
      SpanDetail detail,
      SpanResources.Batch resources)
      throws SQLException {
    try (Statement st = w.createStatement()) {
      st.execute("DELETE FROM " + STAGING);
    }
    try (DuckDBAppender appender = w.createAppender("temp", "main", STAGING)) {
      for (AgentSpan s : spans) {
        SpanRows.append(appender, s, seq, now, detail, resources.idOf(s.resourceAttributes()));
      }
      appender.flush();
    }
    int inserted;
    try (PreparedStatement ps =
        w.prepareStatement(
            "INSERT INTO spans SELECT st.* FROM "
                + STAGING
                + " st ANTI JOIN (SELECT project, trace_id, span_id FROM spans"
                + " WHERE batch_seq BETWEEN ? AND ?) e"
                + " ON st.project = e.project AND st.trace_id = e.trace_id"
                + " AND st.span_id = e.span_id")) {
      ps.setLong(1, lo);
      ps.setLong(2, hi);
      inserted = ps.executeUpdate();
    }
    if (inserted > 0) {
      try (PreparedStatement ps =
          w.prepareStatement(
              "INSERT INTO trace_index SELECT project, trace_id, ?, ?, ? FROM spans"
                  + " WHERE batch_seq = ? GROUP BY project, trace_id"
                  + " ON CONFLICT (project, trace_id) DO UPDATE SET"
                  + " last_batch = greatest(trace_index.last_batch, excluded.last_batch),"
                  + " last_ingested_us = greatest(trace_index.last_ingested_us,"
                  + " excluded.last_ingested_us)")) {
        ps.setLong(1, seq);
        ps.setLong(2, seq);
        ps.setLong(3, now);
        ps.setLong(4, seq);
        ps.executeUpdate();
      }
    }
    return inserted;
  }
}
