package io.agentledger.store.duckdb;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainStatus;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.rollup.UsageTotals;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.store.AgentStats;
import io.agentledger.store.Anomaly;
import io.agentledger.store.ChainCursor;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.ChainRef;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.Page;
import io.agentledger.store.Regression;
import io.agentledger.store.SessionReport;
import io.agentledger.store.SessionReports;
import io.agentledger.store.SpanStore;
import io.agentledger.store.StoreException;
import io.agentledger.store.TimeRange;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The default store: one embedded DuckDB file.
 *
 * <p>Writes go through one connection, serialized: spans are bulk-loaded with DuckDB's Appender
 * into a temporary staging table, then moved into {@code spans} with an anti-join against the
 * chains they touch, which makes {@link #append} idempotent without a unique index on ten million
 * rows. Reads use their own connections (DuckDB's MVCC keeps them consistent while writes go on). A
 * chain lookup first reads the small {@code trace_index} to learn which append batches hold the
 * chain, then scans only the row groups of those batches (zone maps on {@code batch_seq}).
 */
public final class DuckDbSpanStore implements SpanStore {

  private static final String STAGING = "span_staging";
  private static final String UPDATES = "span_updates";
  private static final String BATCH_TRACES = "batch_traces";

  private final DuckDBConnection writer;
  private final Clock clock;
  private final Object writeLock = new Object();
  private long lastBatchSeq;
  private long lastIngestedMicros;
  private volatile boolean closed;

  /**
   * Idle read connections (duplicates of the writer's database), reused: opening one per read cost
   * more than a chain lookup itself.
   */
  private final java.util.concurrent.BlockingQueue<Connection> readers =
      new java.util.concurrent.ArrayBlockingQueue<>(8);

  private DuckDbSpanStore(DuckDBConnection writer, Clock clock) throws SQLException {
    this.writer = writer;
    this.clock = clock;
    Migrations.apply(writer);
    try (Statement st = writer.createStatement()) {
      // DuckDB checkpoints when the WAL passes 16 MB, which at ~1.5 kB a span is every batch the
      // collector writes; checkpointing per gigabyte instead made appends 1.6× faster (bench/run).
      st.execute("SET checkpoint_threshold = '1GB'");
      st.execute("CREATE TEMP TABLE " + STAGING + " AS SELECT * FROM spans LIMIT 0");
      st.execute("CREATE TEMP TABLE " + BATCH_TRACES + " (project VARCHAR, trace_id VARCHAR)");
      st.execute(
          "CREATE TEMP TABLE "
              + UPDATES
              + " (project VARCHAR, trace_id VARCHAR, span_id VARCHAR, billing_role VARCHAR,"
              + " attributed_agent VARCHAR, chain_session_id VARCHAR, chain_user_id VARCHAR)");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT coalesce(max(last_batch), 0), coalesce(max(last_ingested_us), 0)"
                  + " FROM trace_index")) {
        rs.next();
        lastBatchSeq = rs.getLong(1);
        lastIngestedMicros = rs.getLong(2);
      }
    }
  }

  /**
   * Opens (creating if needed) the store in a DuckDB file, applying pending schema migrations.
   *
   * @param clock the store's clock: it stamps when spans were stored
   */
  public static DuckDbSpanStore open(Path file, Clock clock) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new DuckDbSpanStore(connect("jdbc:duckdb:" + file.toAbsolutePath()), clock);
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException(
          "cannot open DuckDB store at " + file + ": " + e.getMessage(), false, e);
    }
  }

  /** A store that lives in memory only (tests, benchmarks). */
  public static DuckDbSpanStore inMemory(Clock clock) {
    try {
      return new DuckDbSpanStore(connect("jdbc:duckdb:"), clock);
    } catch (SQLException e) {
      throw new StoreException("cannot open in-memory DuckDB: " + e.getMessage(), false, e);
    }
  }

  private static DuckDBConnection connect(String url) throws SQLException {
    return (DuckDBConnection) DriverManager.getConnection(url);
  }

  // --- writes -------------------------------------------------------------------------------

  @Override
  public int append(List<AgentSpan> spans) {
    if (spans.isEmpty()) {
      return 0;
    }
    Map<String, AgentSpan> unique = new LinkedHashMap<>();
    for (AgentSpan s : spans) {
      unique.putIfAbsent(s.project() + '\u0000' + s.traceId() + '\u0000' + s.spanId(), s);
    }
    synchronized (writeLock) {
      ensureOpen();
      long seq = lastBatchSeq + 1;
      long now = Math.max(lastIngestedMicros, micros(clock.instant()));
      try {
        int inserted;
        writer.setAutoCommit(false);
        try {
          long[] range = existingBatchRange(unique.values());
          inserted =
              range == null
                  ? appendNewChains(unique.values(), seq, now)
                  : mergeIntoKnownChains(unique.values(), seq, now, range[0], range[1]);
          writer.commit();
        } catch (SQLException | RuntimeException e) {
          writer.rollback();
          throw e;
        } finally {
          writer.setAutoCommit(true);
        }
        lastBatchSeq = seq;
        lastIngestedMicros = now;
        return inserted;
      } catch (SQLException e) {
        throw new StoreException(
            "appending " + unique.size() + " spans failed: " + e.getMessage(), true, e);
      }
    }
  }

  /**
   * Writes the batch's chains to {@value #BATCH_TRACES} and returns the batch range where any of
   * them already have spans, or null when every chain is new.
   */
  private long[] existingBatchRange(Collection<AgentSpan> spans) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("DELETE FROM " + BATCH_TRACES);
    }
    Set<String> seen = new HashSet<>();
    try (DuckDBAppender appender = writer.createAppender("temp", "main", BATCH_TRACES)) {
      for (AgentSpan s : spans) {
        if (seen.add(s.project() + '\u0000' + s.traceId())) {
          appender.beginRow();
          appender.append(s.project());
          appender.append(s.traceId());
          appender.endRow();
        }
      }
      appender.flush();
    }
    try (Statement st = writer.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT min(t.first_batch), max(t.last_batch) FROM trace_index t JOIN "
                    + BATCH_TRACES
                    + " b ON t.project = b.project AND t.trace_id = b.trace_id")) {
      return rs.next() && rs.getObject(1) != null
          ? new long[] {rs.getLong(1), rs.getLong(2)}
          : null;
    }
  }

  /**
   * Every chain in the batch is new, so no span can be a duplicate: append straight into the table
   * (inside the transaction), skipping the staging copy — the common case by far.
   */
  private int appendNewChains(Collection<AgentSpan> spans, long seq, long now) throws SQLException {
    try (DuckDBAppender appender =
        writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spans")) {
      for (AgentSpan s : spans) {
        SpanRows.append(appender, s, seq, now);
      }
      appender.flush();
    }
    try (PreparedStatement ps =
        writer.prepareStatement(
            "INSERT INTO trace_index SELECT project, trace_id, ?, ?, ? FROM " + BATCH_TRACES)) {
      ps.setLong(1, seq);
      ps.setLong(2, seq);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
    return spans.size();
  }

  /** Some chains have spans already: stage the batch and insert only the spans not yet stored. */
  private int mergeIntoKnownChains(
      Collection<AgentSpan> spans, long seq, long now, long lo, long hi) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("DELETE FROM " + STAGING);
    }
    try (DuckDBAppender appender = writer.createAppender("temp", "main", STAGING)) {
      for (AgentSpan s : spans) {
        SpanRows.append(appender, s, seq, now);
      }
      appender.flush();
    }
    return moveStagedSpans(seq, now, lo, hi);
  }

  private int moveStagedSpans(long seq, long now, long lo, long hi) throws SQLException {
    int inserted;
    try (PreparedStatement ps =
        writer.prepareStatement(
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
          writer.prepareStatement(
              "INSERT INTO trace_index SELECT project, trace_id, ?, ?, ? FROM spans"
                  + " WHERE batch_seq = ? GROUP BY project, trace_id"
                  + " ON CONFLICT (project, trace_id) DO UPDATE SET"
                  + " last_batch = excluded.last_batch,"
                  + " last_ingested_us = excluded.last_ingested_us")) {
        ps.setLong(1, seq);
        ps.setLong(2, seq);
        ps.setLong(3, now);
        ps.setLong(4, seq);
        ps.executeUpdate();
      }
    }
    return inserted;
  }

  @Override
  public void saveRollups(List<ChainRollupResult> rollups) {
    if (rollups.isEmpty()) {
      return;
    }
    synchronized (writeLock) {
      ensureOpen();
      try {
        try (Statement st = writer.createStatement()) {
          st.execute("DELETE FROM " + UPDATES);
        }
        Set<String> projects = new LinkedHashSet<>();
        try (DuckDBAppender appender = writer.createAppender("temp", "main", UPDATES)) {
          for (ChainRollupResult r : rollups) {
            ChainSummary summary = r.summary();
            projects.add(summary.project());
            Deque<TreeNode> todo = new ArrayDeque<>(r.roots());
            while (!todo.isEmpty()) {
              TreeNode node = todo.pop();
              todo.addAll(node.children());
              AgentSpan s = node.span();
              BillingRole role = r.billingCorrections().getOrDefault(s.spanId(), s.billingRole());
              appender.beginRow();
              appender.append(s.project());
              appender.append(s.traceId());
              appender.append(s.spanId());
              appender.append(role.wireName());
              appender.append(node.agent());
              appender.append(summary.sessionId());
              appender.append(summary.userId());
              appender.endRow();
            }
          }
          appender.flush();
        }
        writer.setAutoCommit(false);
        try {
          for (ChainRollupResult r : rollups) {
            upsertSummary(r.summary());
          }
          long[] range = batchRangeOfUpdates();
          if (range != null) {
            try (PreparedStatement ps =
                writer.prepareStatement(
                    "UPDATE spans SET billing_role = u.billing_role,"
                        + " attributed_agent = u.attributed_agent,"
                        + " chain_session_id = u.chain_session_id,"
                        + " chain_user_id = u.chain_user_id FROM "
                        + UPDATES
                        + " u WHERE spans.batch_seq BETWEEN ? AND ?"
                        + " AND spans.project = u.project AND spans.trace_id = u.trace_id"
                        + " AND spans.span_id = u.span_id")) {
              ps.setLong(1, range[0]);
              ps.setLong(2, range[1]);
              ps.executeUpdate();
            }
          }
          writer.commit();
        } catch (SQLException | RuntimeException e) {
          writer.rollback();
          throw e;
        } finally {
          writer.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new StoreException(
            "saving " + rollups.size() + " chain roll-ups failed: " + e.getMessage(), true, e);
      }
    }
  }

  private long[] batchRangeOfUpdates() throws SQLException {
    try (Statement st = writer.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT min(t.first_batch), max(t.last_batch) FROM trace_index t JOIN"
                    + " (SELECT DISTINCT project, trace_id FROM "
                    + UPDATES
                    + ") u ON t.project = u.project AND t.trace_id = u.trace_id")) {
      return rs.next() && rs.getObject(1) != null
          ? new long[] {rs.getLong(1), rs.getLong(2)}
          : null;
    }
  }

  private void upsertSummary(ChainSummary c) throws SQLException {
    try (PreparedStatement ps =
        writer.prepareStatement(
            "INSERT OR REPLACE INTO chains VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int i = 1;
      ps.setString(i++, c.project());
      ps.setString(i++, c.traceId());
      ps.setString(i++, c.rootSpanId());
      ps.setString(i++, c.name());
      ps.setString(i++, c.service());
      ps.setString(i++, c.serviceVersion());
      ps.setString(i++, c.agent());
      ps.setString(i++, c.sessionId());
      ps.setString(i++, c.userId());
      ps.setLong(i++, c.startEpochNanos());
      ps.setLong(i++, c.endEpochNanos());
      ps.setInt(i++, c.spanCount());
      ps.setInt(i++, c.llmCalls());
      ps.setInt(i++, c.toolCalls());
      ps.setInt(i++, c.errorCount());
      ps.setLong(i++, c.usage().inputTokens());
      ps.setLong(i++, c.usage().outputTokens());
      ps.setLong(i++, c.usage().cacheReadTokens());
      ps.setLong(i++, c.usage().cacheWriteTokens());
      ps.setLong(i++, c.usage().reasoningTokens());
      ps.setBigDecimal(i++, c.costUsd());
      ps.setBoolean(i++, c.costComplete());
      ps.setInt(i++, c.unpricedCalls());
      ps.setString(i, c.status().wireName());
      ps.executeUpdate();
    }
  }

  // --- chains -------------------------------------------------------------------------------

  @Override
  public List<AgentSpan> chainSpans(String project, String traceId) {
    return chainSpans(project, List.of(traceId)).getOrDefault(traceId, List.of());
  }

  @Override
  public Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds) {
    Map<String, List<AgentSpan>> out = new LinkedHashMap<>();
    if (traceIds.isEmpty()) {
      return out;
    }
    List<String> ids = List.copyOf(new LinkedHashSet<>(traceIds));
    return read(
        "reading chains",
        c -> {
          String in = placeholders(ids.size());
          long lo = Long.MAX_VALUE;
          long hi = Long.MIN_VALUE;
          // By trace id alone, so DuckDB uses the single-column index (V002); the project is
          // checked here, on the one row a trace id almost always has.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT project, first_batch, last_batch FROM trace_index WHERE trace_id IN ("
                      + in
                      + ")")) {
            bindStrings(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (rs.getString(1).equals(project)) {
                  lo = Math.min(lo, rs.getLong(2));
                  hi = Math.max(hi, rs.getLong(3));
                }
              }
            }
          }
          if (lo > hi) {
            return out;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + SpanRows.COLUMNS
                      + " FROM spans WHERE batch_seq BETWEEN ? AND ? AND project = ?"
                      + " AND trace_id IN ("
                      + in
                      + ")")) {
            ps.setLong(1, lo);
            ps.setLong(2, hi);
            ps.setString(3, project);
            bindStrings(ps, 4, ids);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                AgentSpan s = SpanRows.read(rs);
                out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
              }
            }
          }
          return out;
        });
  }

  @Override
  public Page<ChainSummary> chains(String project, ChainQuery q) {
    Optional<ChainCursor> after = q.cursor().map(c -> ChainCursor.decode(c, q.order()));
    StringBuilder sql =
        new StringBuilder(
            "SELECT * FROM chains WHERE project = ? AND start_ns >= ? AND start_ns < ?");
    List<Object> args =
        new ArrayList<>(List.of(project, q.range().fromEpochNanos(), q.range().toEpochNanos()));
    if (!q.service().isEmpty()) {
      sql.append(" AND service = ?");
      args.add(q.service());
    }
    if (!q.agent().isEmpty()) {
      sql.append(
          " AND (agent = ? OR trace_id IN (SELECT trace_id FROM spans WHERE project = ?"
              + " AND attributed_agent = ? AND start_ns >= ? AND start_ns < ?))");
      args.addAll(
          List.of(
              q.agent(), project, q.agent(), q.range().fromEpochNanos(), q.range().toEpochNanos()));
    }
    if (!q.sessionId().isEmpty()) {
      sql.append(" AND session_id = ?");
      args.add(q.sessionId());
    }
    if (!q.userId().isEmpty()) {
      sql.append(" AND user_id = ?");
      args.add(q.userId());
    }
    q.minCostUsd()
        .ifPresent(
            min -> {
              sql.append(" AND cost_usd >= ?");
              args.add(min);
            });
    String sortColumn = q.order() == ChainQuery.Order.START ? "start_ns" : "cost_usd";
    after.ifPresent(
        cur -> {
          Object value =
              q.order() == ChainQuery.Order.START ? cur.startEpochNanos() : cur.costUsd();
          sql.append(" AND (")
              .append(sortColumn)
              .append(" < ? OR (")
              .append(sortColumn)
              .append(" = ? AND trace_id < ?))");
          args.addAll(List.of(value, value, cur.traceId()));
        });
    sql.append(" ORDER BY ").append(sortColumn).append(" DESC, trace_id DESC LIMIT ?");
    args.add(q.limit() + 1);
    List<ChainSummary> rows =
        read(
            "listing chains",
            c -> {
              List<ChainSummary> out = new ArrayList<>();
              try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(readSummary(rs));
                  }
                }
              }
              return out;
            });
    if (rows.size() <= q.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    List<ChainSummary> page = rows.subList(0, q.limit());
    ChainSummary last = page.get(page.size() - 1);
    ChainCursor next =
        new ChainCursor(q.order(), last.startEpochNanos(), last.costUsd(), last.traceId());
    return new Page<>(page, Optional.of(next.encode()));
  }

  @Override
  public Optional<ChainSummary> chainSummary(String project, String traceId) {
    return read(
        "reading a chain summary",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM chains WHERE project = ? AND trace_id = ?")) {
            ps.setString(1, project);
            ps.setString(2, traceId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(readSummary(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit) {
    return read(
        "finding changed chains",
        c -> {
          List<ChainRef> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT project, trace_id, last_ingested_us FROM trace_index"
                      + " WHERE last_ingested_us > ? AND last_ingested_us <= ?"
                      + " ORDER BY last_ingested_us, project, trace_id LIMIT ?")) {
            ps.setLong(1, micros(after));
            ps.setLong(2, micros(upTo));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long us = rs.getLong(3);
                out.add(
                    new ChainRef(
                        rs.getString(1),
                        rs.getString(2),
                        Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1_000)));
              }
            }
          }
          return out;
        });
  }

  // --- aggregations -------------------------------------------------------------------------

  private static final Map<CostDimension, String> DIMENSION_SQL = dimensionSql();

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

  private static final String MEASURES =
      "coalesce(sum(cost_usd), 0) AS cost, sum(input_tokens), sum(output_tokens),"
          + " sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens),"
          + " count(*) FILTER (WHERE span_type IN ('llm', 'embedding')) AS llm_calls";

  @Override
  public CostReport costs(String project, CostQuery q) {
    List<CostDimension> dims = q.groupBy();
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < dims.size(); i++) {
      keys.append(DIMENSION_SQL.get(dims.get(i))).append(" AS k").append(i).append(", ");
    }
    String where =
        " FROM spans WHERE project = ? AND billing_role = 'billable'"
            + " AND start_ns >= ? AND start_ns < ?";
    String groupBy = dims.isEmpty() ? "" : " GROUP BY ALL";
    List<Object> args = List.of(project, q.range().fromEpochNanos(), q.range().toEpochNanos());
    return read(
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
                      + " ORDER BY cost DESC")) {
            bind(ps, args);
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
                        keyMap(dims, key),
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
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int n = dims.size();
                long bucket = rs.getLong(n + 1);
                series
                    .computeIfAbsent(keyOf(rs, n), k -> new ArrayList<>())
                    .add(
                        new CostReport.Bucket(
                            Instant.ofEpochSecond(
                                Math.floorDiv(bucket, 1_000_000_000L),
                                Math.floorMod(bucket, 1_000_000_000L)),
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

  @Override
  public Optional<SessionReport> session(String project, String sessionId) {
    List<String> traceIds =
        read(
            "reading a session",
            c -> {
              List<String> ids = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT trace_id FROM chains WHERE project = ? AND session_id = ?"
                          + " ORDER BY start_ns")) {
                ps.setString(1, project);
                ps.setString(2, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    ids.add(rs.getString(1));
                  }
                }
              }
              return ids;
            });
    List<ChainRollupResult> chains = new ArrayList<>();
    for (List<AgentSpan> spans : chainSpans(project, traceIds).values()) {
      chains.add(ChainRollup.compute(spans));
    }
    return SessionReports.of(sessionId, chains);
  }

  @Override
  public List<AgentStats> agents(String project, TimeRange range) {
    return read(
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
                      + " AND cost_source = 'unknown')"
                      + " FROM spans WHERE project = ? AND start_ns >= ? AND start_ns < ?"
                      + " AND attributed_agent <> '' GROUP BY attributed_agent"
                      + " ORDER BY cost DESC, attributed_agent")) {
            ps.setString(1, project);
            ps.setLong(2, range.fromEpochNanos());
            ps.setLong(3, range.toEpochNanos());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                List<String> versions = new ArrayList<>();
                java.sql.Array array = rs.getArray(2);
                if (array != null) {
                  for (Object v : (Object[]) array.getArray()) {
                    versions.add(String.valueOf(v));
                  }
                }
                out.add(
                    new AgentStats(
                        rs.getString(1),
                        versions,
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getBigDecimal(6),
                        rs.getLong(7)));
              }
            }
          }
          return out;
        });
  }

  // --- analyzer results ---------------------------------------------------------------------

  @Override
  public void saveAnomalies(List<Anomaly> anomalies) {
    write(
        "saving anomalies",
        () -> {
          try (PreparedStatement ps =
              writer.prepareStatement(
                  "INSERT OR REPLACE INTO anomalies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Anomaly a : anomalies) {
              bind(
                  ps,
                  List.of(
                      a.project(),
                      a.id(),
                      a.kind(),
                      a.entity(),
                      a.metric(),
                      nanos(a.detectedAt()),
                      nanos(a.windowStart()),
                      nanos(a.windowEnd()),
                      a.observed(),
                      a.expected(),
                      a.score(),
                      a.status(),
                      a.summary(),
                      SpanRows.json(a.attributes())));
              ps.executeUpdate();
            }
          }
        });
  }

  @Override
  public List<Anomaly> anomalies(String project, TimeRange range, String status) {
    String sql =
        "SELECT * FROM anomalies WHERE project = ? AND detected_ns >= ? AND detected_ns < ?"
            + (status.isEmpty() ? "" : " AND status = ?")
            + " ORDER BY detected_ns DESC, id";
    List<Object> args =
        new ArrayList<>(List.of(project, range.fromEpochNanos(), range.toEpochNanos()));
    if (!status.isEmpty()) {
      args.add(status);
    }
    return read(
        "reading anomalies",
        c -> {
          List<Anomaly> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Anomaly(
                        rs.getString("project"),
                        rs.getString("id"),
                        rs.getString("kind"),
                        rs.getString("entity"),
                        rs.getString("metric"),
                        instant(rs.getLong("detected_ns")),
                        instant(rs.getLong("window_start_ns")),
                        instant(rs.getLong("window_end_ns")),
                        rs.getDouble("observed"),
                        rs.getDouble("expected"),
                        rs.getDouble("score"),
                        rs.getString("status"),
                        rs.getString("summary"),
                        SpanRows.parseMap(rs.getString("attributes"))));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void saveRegressions(List<Regression> regressions) {
    write(
        "saving regressions",
        () -> {
          try (PreparedStatement ps =
              writer.prepareStatement(
                  "INSERT OR REPLACE INTO regressions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Regression r : regressions) {
              bind(
                  ps,
                  List.of(
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
                      nanos(r.detectedAt()),
                      r.status(),
                      SpanRows.json(r.attributes())));
              ps.executeUpdate();
            }
          }
        });
  }

  @Override
  public List<Regression> regressions(String project, TimeRange range) {
    return read(
        "reading regressions",
        c -> {
          List<Regression> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM regressions WHERE project = ? AND detected_ns >= ?"
                      + " AND detected_ns < ? ORDER BY detected_ns DESC, id")) {
            bind(ps, List.of(project, range.fromEpochNanos(), range.toEpochNanos()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Regression(
                        rs.getString("project"),
                        rs.getString("id"),
                        rs.getString("agent"),
                        rs.getString("metric"),
                        rs.getString("baseline_version"),
                        rs.getString("candidate_version"),
                        rs.getDouble("baseline_value"),
                        rs.getDouble("candidate_value"),
                        rs.getDouble("change"),
                        rs.getDouble("p_value"),
                        instant(rs.getLong("detected_ns")),
                        rs.getString("status"),
                        SpanRows.parseMap(rs.getString("attributes"))));
              }
            }
          }
          return out;
        });
  }

  // --- state --------------------------------------------------------------------------------

  @Override
  public void savePriceOverride(String project, ModelPricing pricing) {
    write(
        "saving a price override",
        () -> {
          try (PreparedStatement ps =
              writer.prepareStatement(
                  "INSERT OR REPLACE INTO price_overrides VALUES (?, ?, ?, ?)")) {
            bind(ps, List.of(project, pricing.provider(), pricing.model(), pricing.toJson()));
            ps.executeUpdate();
          }
        });
  }

  @Override
  public List<ModelPricing> priceOverrides(String project) {
    return read(
        "reading price overrides",
        c -> {
          List<ModelPricing> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT pricing FROM price_overrides WHERE project = ? ORDER BY provider, model")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(ModelPricing.fromJson(rs.getString(1)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public Optional<String> state(String key) {
    return read(
        "reading pipeline state",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT value FROM pipeline_state WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void saveState(String key, String value) {
    write(
        "saving pipeline state",
        () -> {
          try (PreparedStatement ps =
              writer.prepareStatement("INSERT OR REPLACE INTO pipeline_state VALUES (?, ?)")) {
            bind(ps, List.of(key, value));
            ps.executeUpdate();
          }
        });
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      try (Statement st = writer.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        // The WAL still holds every committed write; the next open replays it.
      }
      try {
        writer.close();
      } catch (SQLException e) {
        throw new StoreException("closing DuckDB failed: " + e.getMessage(), false, e);
      }
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private interface Read<T> {
    T apply(Connection c) throws SQLException;
  }

  private interface Write {
    void run() throws SQLException;
  }

  private <T> T read(String what, Read<T> body) {
    ensureOpen();
    try (Connection c = writer.duplicate()) {
      return body.apply(c);
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), true, e);
    }
  }

  private void write(String what, Write body) {
    synchronized (writeLock) {
      ensureOpen();
      try {
        body.run();
      } catch (SQLException e) {
        throw new StoreException(what + " failed: " + e.getMessage(), true, e);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("the store is closed", false);
    }
  }

  private static ChainSummary readSummary(ResultSet rs) throws SQLException {
    return new ChainSummary(
        rs.getString("project"),
        rs.getString("trace_id"),
        rs.getString("root_span_id"),
        rs.getString("name"),
        rs.getString("service"),
        rs.getString("service_version"),
        rs.getString("agent"),
        rs.getString("session_id"),
        rs.getString("user_id"),
        rs.getLong("start_ns"),
        rs.getLong("end_ns"),
        rs.getInt("span_count"),
        rs.getInt("llm_calls"),
        rs.getInt("tool_calls"),
        rs.getInt("error_count"),
        new UsageTotals(
            rs.getLong("input_tokens"),
            rs.getLong("output_tokens"),
            rs.getLong("cache_read_tokens"),
            rs.getLong("cache_write_tokens"),
            rs.getLong("reasoning_tokens")),
        rs.getBigDecimal("cost_usd"),
        rs.getBoolean("cost_complete"),
        rs.getInt("unpriced_calls"),
        ChainStatus.fromWireName(rs.getString("status")));
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

  private static Map<String, String> keyMap(List<CostDimension> dims, List<String> key) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < dims.size(); i++) {
      m.put(dims.get(i).apiName(), key.get(i));
    }
    return m;
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static void bindStrings(PreparedStatement ps, int first, List<String> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(first + i, values.get(i));
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof BigDecimal d) {
        ps.setBigDecimal(i + 1, d);
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
