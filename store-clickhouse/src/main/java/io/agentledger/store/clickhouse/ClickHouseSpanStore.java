package io.agentledger.store.clickhouse;

import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.FlatTree;
import io.agentledger.core.rollup.UsageTotals;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.store.AgentStats;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertState;
import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.AppendStamps;
import io.agentledger.store.ChainPages;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.ChainRef;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.Delivery;
import io.agentledger.store.LeaseClaim;
import io.agentledger.store.Notification;
import io.agentledger.store.Page;
import io.agentledger.store.PendingDelivery;
import io.agentledger.store.Regression;
import io.agentledger.store.RunReplacement;
import io.agentledger.store.RunSummary;
import io.agentledger.store.SessionReport;
import io.agentledger.store.SessionReports;
import io.agentledger.store.Settlement;
import io.agentledger.store.SpanStore;
import io.agentledger.store.StoreException;
import io.agentledger.store.StoreFailures;
import io.agentledger.store.StoreHealth;
import io.agentledger.store.TimeRange;
import io.agentledger.store.paths.PathGroup;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scale-out store: a ClickHouse database, through the official JDBC driver.
 *
 * <p>Spans go to {@code spans}, whose first columns are the OpenTelemetry Collector ClickHouse
 * exporter's {@code otel_traces} layout, partitioned by day and sorted by (project, hour, trace,
 * span). Every table whose rows get replaced is a ReplacingMergeTree keyed by what identifies a
 * row, and every read of one uses {@code FINAL}, so answers are exact before merges collapse the
 * copies. {@link #append} is idempotent because it first looks up which of the batch's spans are
 * stored already (within the time range {@code trace_index} records for their chains) and inserts
 * only the others, as one batch. {@link #saveRollups} rewrites only the spans whose settled fields
 * change, with a version that outranks any raw copy.
 *
 * <p>Writes from one store are serialized; reads run concurrently on a small pool of connections.
 * The schema is created and migrated at {@link #open}; see the migration files for the layout.
 */
public final class ClickHouseSpanStore implements SpanStore {

  /** Ids per IN list: keeps every statement well under the server's max_query_size. */
  static final int IN_LIST_CHUNK = 1_000;

  private static final int POOL_SIZE = 4;
  private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);

  private final ConnectionPool pool;
  private final Versions versions;
  private final AppendStamps stamps;
  private final Object writeLock = new Object();
  private final AlertTables alerts;

  private ClickHouseSpanStore(ConnectionPool pool, Versions versions, Clock clock) {
    this.pool = pool;
    this.versions = versions;
    this.stamps = new AppendStamps(clock, 0);
    this.alerts =
        new AlertTables(
            new AlertTables.Runner() {
              @Override
              public <T> T read(String what, ConnectionPool.Work<T> work) {
                return ClickHouseSpanStore.this.read(what, work);
              }

              @Override
              public <T> T write(String what, ConnectionPool.Work<T> work) {
                return ClickHouseSpanStore.this.write(what, work);
              }
            },
            versions);
  }

  /**
   * Connects, creates or migrates the schema, and applies the retention TTL.
   *
   * @param jdbcUrl {@code jdbc:clickhouse://host:8123/database}; the database must exist
   * @param props driver properties ({@code user}, {@code password}, {@code ssl}, ...); may be null
   * @param ttl how long spans and chains are kept, by span time; zero or null keeps them forever
   * @param clock the store's clock: it stamps when spans were stored
   */
  public static ClickHouseSpanStore open(
      String jdbcUrl, Properties props, Duration ttl, Clock clock) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(clock, "clock");
    Retention.seconds(ttl); // validates
    Properties p = new Properties();
    if (props != null) {
      p.putAll(props);
    }
    ConnectionPool pool = null;
    try {
      pool = new ConnectionPool(jdbcUrl, p, POOL_SIZE, BORROW_TIMEOUT);
      Versions versions = new Versions(clock);
      pool.run(
          c -> {
            Migrations.apply(c);
            Retention.apply(c, ttl, versions.next());
          });
      return new ClickHouseSpanStore(pool, versions, clock);
    } catch (SQLException | RuntimeException e) {
      if (pool != null) {
        try {
          pool.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof StoreException se) {
        throw se;
      }
      throw Failures.wrap("opening the ClickHouse store at " + jdbcUrl, e);
    }
  }

  // --- writes -------------------------------------------------------------------------------

  @Override
  public int append(List<AgentSpan> spans) {
    if (spans.isEmpty()) {
      return 0;
    }
    Map<String, Map<String, AgentSpan>> byProject = new LinkedHashMap<>();
    for (AgentSpan s : spans) {
      byProject
          .computeIfAbsent(s.project(), p -> new LinkedHashMap<>())
          .putIfAbsent(s.traceId() + '\u0000' + s.spanId(), s);
    }
    return write(
        "appending " + spans.size() + " spans",
        c -> {
          List<AgentSpan> fresh = new ArrayList<>();
          for (Map.Entry<String, Map<String, AgentSpan>> e : byProject.entrySet()) {
            Set<String> stored = storedSpanKeys(c, e.getKey(), e.getValue().values());
            e.getValue().forEach((key, s) -> addIfAbsent(fresh, stored, key, s));
          }
          if (!fresh.isEmpty()) {
            // The trace index first: an index row without spans only widens a later lookup,
            // while spans without one could not be found. A failed append is retried whole.
            insertTraceIndex(c, fresh);
            try (AppendStamps.Stamp storedAt = stamps.begin()) {
              long version = versions.next();
              List<SpanRows.Row> rows = new ArrayList<>(fresh.size());
              for (AgentSpan s : fresh) {
                rows.add(new SpanRows.Row(s, Settlement.initial(s), storedAt.instant(), version));
              }
              BinaryInsert.spans(c, rows);
            }
          }
          // Chain activity last, stamped once the spans are visible: the settler takes a chain
          // idle from this time, so a settler in another process never rolls up a chain whose
          // spans are still being inserted (a large insert outlasts the idle time under load);
          // one in this process also waits for the activity insert itself (committedUpTo).
          // Written for every chain of the batch, also when a replay finds its spans stored,
          // since the attempt that stored them may have failed before this line; settling again
          // is harmless.
          try (AppendStamps.Stamp touchedAt = stamps.begin()) {
            insertActivity(c, byProject, touchedAt.instant());
          }
          return fresh.size();
        });
  }

  private static void addIfAbsent(
      List<AgentSpan> fresh, Set<String> stored, String key, AgentSpan span) {
    if (!stored.contains(key)) {
      fresh.add(span);
    }
  }

  /** {@code traceId \0 spanId} of the stored spans of the chains the given spans belong to. */
  private static Set<String> storedSpanKeys(
      Connection c, String project, Collection<AgentSpan> spans) throws SQLException {
    Set<String> traceIds = new LinkedHashSet<>();
    spans.forEach(s -> traceIds.add(s.traceId()));
    Set<String> out = new HashSet<>();
    for (List<String> chunk : Jdbc.chunks(traceIds, IN_LIST_CHUNK)) {
      Map<String, long[]> ranges = traceRanges(c, project, chunk);
      if (ranges.isEmpty()) {
        continue; // new chains: nothing to compare against
      }
      long[] range = union(ranges.values());
      Jdbc.query(
          c,
          Lookups.storedSpanIds(project, ranges.keySet(), range[0], range[1]),
          rs -> out.add(rs.getString("TraceId") + '\u0000' + rs.getString("SpanId")));
    }
    return out;
  }

  private static void insertTraceIndex(Connection c, List<AgentSpan> fresh) throws SQLException {
    Map<List<String>, long[]> ranges = new LinkedHashMap<>();
    for (AgentSpan s : fresh) {
      long t = s.startEpochNanos();
      ranges.merge(
          List.of(s.project(), s.traceId()),
          new long[] {t, t},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<List<Object>> index = new ArrayList<>(ranges.size());
    ranges.forEach(
        (key, range) ->
            index.add(
                List.of(key.get(0), key.get(1), Sql.instant(range[0]), Sql.instant(range[1]))));
    Jdbc.insertBatch(c, Lookups.INSERT_TRACE_INDEX, index);
  }

  private static void insertActivity(
      Connection c, Map<String, Map<String, AgentSpan>> byProject, Instant now)
      throws SQLException {
    List<List<Object>> activity = new ArrayList<>();
    byProject.forEach(
        (project, spans) ->
            spans.values().stream()
                .map(AgentSpan::traceId)
                .distinct()
                .forEach(traceId -> activity.add(List.of(now, project, traceId))));
    Jdbc.insertBatch(c, Lookups.INSERT_ACTIVITY, activity);
  }

  @Override
  public void saveRollups(List<ChainRollupResult> rollups) {
    if (rollups.isEmpty()) {
      return;
    }
    Map<String, Map<String, ChainRollupResult>> byProject = new LinkedHashMap<>();
    for (ChainRollupResult r : rollups) {
      byProject
          .computeIfAbsent(r.summary().project(), p -> new LinkedHashMap<>())
          .put(r.summary().traceId(), r); // the last roll-up of a chain wins
    }
    writeAll(
        "saving " + rollups.size() + " chain roll-ups",
        c -> {
          long spanVersion = Versions.SETTLED + versions.next();
          long chainVersion = versions.next();
          List<SpanRows.Row> rewrites = new ArrayList<>();
          List<List<Object>> summaries = new ArrayList<>();
          for (Map.Entry<String, Map<String, ChainRollupResult>> e : byProject.entrySet()) {
            Map<String, StoredSpan> stored =
                storedSettlements(c, e.getKey(), e.getValue().keySet());
            for (ChainRollupResult r : e.getValue().values()) {
              rewrites.addAll(settledRows(r, stored, spanVersion));
              summaries.add(ChainRows.values(r.summary(), chainVersion));
            }
          }
          BinaryInsert.spans(c, rewrites);
          Jdbc.insertBatch(c, ChainRows.INSERT, summaries);
        });
  }

  /** What is stored of a span that a settlement may rewrite. */
  private record StoredSpan(long startNanos, Settlement settlement, Instant ingestedAt) {}

  private static Map<String, StoredSpan> storedSettlements(
      Connection c, String project, Collection<String> traceIds) throws SQLException {
    Map<String, StoredSpan> out = new HashMap<>();
    for (List<String> chunk : Jdbc.chunks(traceIds, IN_LIST_CHUNK)) {
      Map<String, long[]> ranges = traceRanges(c, project, chunk);
      if (ranges.isEmpty()) {
        continue;
      }
      long[] range = union(ranges.values());
      Jdbc.query(
          c,
          Lookups.settledFields(project, ranges.keySet(), range[0], range[1]),
          rs ->
              out.put(
                  rs.getString("TraceId") + '\u0000' + rs.getString("SpanId"),
                  new StoredSpan(
                      rs.getLong("StartNs"),
                      new Settlement(
                          BillingRole.fromWireName(rs.getString("BillingRole")),
                          rs.getString("AttributedAgent"),
                          rs.getString("ChainSessionId"),
                          rs.getString("ChainUserId")),
                      Sql.instantOfMicros(rs.getLong("IngestedUs")))));
    }
    return out;
  }

  /**
   * Rows for the chain's stored spans whose billing role, attributed agent, or chain session or
   * user the settled tree changes. Other columns are the span's own; the store time is kept.
   */
  private static List<SpanRows.Row> settledRows(
      ChainRollupResult r, Map<String, StoredSpan> stored, long version) {
    List<SpanRows.Row> out = new ArrayList<>();
    for (Settlement.Settled settled : Settlement.of(r)) {
      AgentSpan s = settled.span();
      StoredSpan current = stored.get(s.traceId() + '\u0000' + s.spanId());
      if (current == null || current.startNanos() != s.startEpochNanos()) {
        continue; // not stored (or another copy): settling never adds spans
      }
      if (!settled.settlement().equals(current.settlement())) {
        out.add(new SpanRows.Row(s, settled.settlement(), current.ingestedAt(), version));
      }
    }
    return out;
  }

  // --- chains -------------------------------------------------------------------------------

  @Override
  public Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds) {
    Map<String, List<AgentSpan>> out = new LinkedHashMap<>();
    if (traceIds.isEmpty()) {
      return out;
    }
    Set<String> ids = new LinkedHashSet<>(traceIds);
    return read(
        "reading chains",
        c -> {
          for (List<String> chunk : Jdbc.chunks(ids, IN_LIST_CHUNK)) {
            Map<String, long[]> ranges = traceRanges(c, project, chunk);
            if (ranges.isEmpty()) {
              continue;
            }
            long[] range = union(ranges.values());
            Jdbc.query(
                c,
                Lookups.chainSpans(project, ranges.keySet(), range[0], range[1]),
                rs -> {
                  AgentSpan s = SpanRows.read(rs);
                  out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
                });
          }
          return out;
        });
  }

  @Override
  public Page<ChainSummary> chains(String project, ChainQuery q) {
    Sql sql = Listings.chains(project, q); // rejects a foreign cursor before any I/O
    List<ChainSummary> rows =
        read(
            "listing chains",
            c -> {
              List<ChainSummary> out = new ArrayList<>();
              Jdbc.query(c, sql, rs -> out.add(ChainRows.read(rs)));
              return out;
            });
    return ChainPages.page(rows, q);
  }

  @Override
  public Optional<ChainSummary> chainSummary(String project, String traceId) {
    return read(
        "reading a chain summary",
        c -> {
          List<ChainSummary> out = new ArrayList<>(1);
          Jdbc.query(c, Listings.chainSummary(project, traceId), rs -> out.add(ChainRows.read(rs)));
          return out.stream().findFirst();
        });
  }

  @Override
  public Instant committedUpTo(Instant upTo) {
    return stamps.committedUpTo(upTo);
  }

  @Override
  public List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit) {
    return read(
        "finding changed chains",
        c -> {
          List<ChainRef> out = new ArrayList<>();
          Jdbc.query(
              c,
              Lookups.chainsTouched(after, upTo, limit),
              rs ->
                  out.add(
                      new ChainRef(
                          rs.getString("Project"),
                          rs.getString("TraceId"),
                          Sql.instantOfMicros(rs.getLong("LastUs")))));
          return out;
        });
  }

  // --- aggregations -------------------------------------------------------------------------

  @Override
  public CostReport costs(String project, CostQuery q) {
    List<CostDimension> dims = q.groupBy();
    return read(
        "aggregating costs",
        c -> {
          Map<List<String>, CostReport.Group> groups = new LinkedHashMap<>();
          Jdbc.query(
              c,
              Listings.costGroups(project, q),
              rs -> {
                if (rs.getLong("span_count") == 0) {
                  return; // no spans at all: no group
                }
                List<String> key = key(rs, dims.size());
                groups.put(
                    key,
                    new CostReport.Group(
                        CostDimension.keyMap(dims, key),
                        rs.getBigDecimal("cost"),
                        usage(rs),
                        rs.getLong("llm_calls"),
                        rs.getLong("chain_count"),
                        rs.getLong("unpriced_calls"),
                        List.of()));
              });
          if (q.interval().isEmpty() || groups.isEmpty()) {
            return new CostReport(List.copyOf(groups.values()));
          }
          Map<List<String>, List<CostReport.Bucket>> series = new HashMap<>();
          Jdbc.query(
              c,
              Listings.costSeries(project, q),
              rs ->
                  series
                      .computeIfAbsent(key(rs, dims.size()), k -> new ArrayList<>())
                      .add(
                          new CostReport.Bucket(
                              Sql.instant(rs.getLong("bucket")),
                              rs.getBigDecimal("cost"),
                              usage(rs),
                              rs.getLong("llm_calls"))));
          List<CostReport.Group> out = new ArrayList<>(groups.size());
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
              Jdbc.query(
                  c,
                  Listings.sessionChains(project, sessionId),
                  rs -> ids.add(rs.getString("TraceId")));
              return ids;
            });
    return SessionReports.fromSpans(sessionId, chainSpans(project, traceIds).values());
  }

  @Override
  public Optional<SessionReport> workflow(String project, String workflowId) {
    List<String> traceIds =
        read(
            "reading a workflow run",
            c -> {
              List<String> ids = new ArrayList<>();
              Jdbc.query(
                  c,
                  Listings.workflowChains(project, workflowId),
                  rs -> ids.add(rs.getString("TraceId")));
              return ids;
            });
    return SessionReports.fromSpans(workflowId, chainSpans(project, traceIds).values());
  }

  @Override
  public List<AgentStats> agents(String project, TimeRange range) {
    return read(
        "listing agents",
        c -> {
          List<AgentStats> out = new ArrayList<>();
          Jdbc.query(
              c,
              Listings.agents(project, range),
              rs ->
                  out.add(
                      new AgentStats(
                          rs.getString("agent_name"),
                          Json.strings(rs.getString("versions_json")),
                          rs.getLong("chain_count"),
                          rs.getLong("llm_calls"),
                          rs.getLong("tool_calls"),
                          rs.getBigDecimal("cost"),
                          rs.getLong("unpriced_calls"),
                          rs.getBigDecimal("tool_cost"))));
          return out;
        });
  }

  // --- analyzer results ---------------------------------------------------------------------

  @Override
  public void saveAnomalies(List<Anomaly> anomalies) {
    Map<List<String>, Anomaly> last = new LinkedHashMap<>();
    anomalies.forEach(a -> last.put(List.of(a.project(), a.id()), a));
    writeAll(
        "saving anomalies",
        c -> {
          long version = versions.next();
          List<List<Object>> rows = new ArrayList<>();
          last.values().forEach(a -> rows.add(AnomalyRows.values(a, version)));
          Jdbc.insertBatch(c, AnomalyRows.INSERT, rows);
        });
  }

  @Override
  public List<Anomaly> anomalies(String project, AnomalyQuery query) {
    return read(
        "reading anomalies",
        c -> {
          List<Anomaly> out = new ArrayList<>();
          Jdbc.query(c, AnomalyRows.select(project, query), rs -> out.add(AnomalyRows.read(rs)));
          return out;
        });
  }

  @Override
  public void saveRegressions(List<Regression> regressions) {
    Map<List<String>, Regression> last = new LinkedHashMap<>();
    regressions.forEach(r -> last.put(List.of(r.project(), r.id()), r));
    writeAll(
        "saving regressions",
        c -> {
          long version = versions.next();
          List<List<Object>> rows = new ArrayList<>();
          last.values().forEach(r -> rows.add(RegressionRows.values(r, version)));
          Jdbc.insertBatch(c, RegressionRows.INSERT, rows);
        });
  }

  @Override
  public List<Regression> regressions(String project, TimeRange range, String agent) {
    return read(
        "reading regressions",
        c -> {
          List<Regression> out = new ArrayList<>();
          Jdbc.query(
              c,
              RegressionRows.select(project, range, agent),
              rs -> out.add(RegressionRows.read(rs)));
          return out;
        });
  }

  // --- runs and paths ----------------------------------------------------------------------

  @Override
  public void replaceRuns(String project, Collection<String> traceIds, List<RunSummary> runs) {
    Collection<RunSummary> checked = RunReplacement.checked(project, traceIds, runs);
    if (traceIds.isEmpty()) {
      return;
    }
    writeAll(
        "saving the runs of " + traceIds.size() + " chains",
        c -> {
          Set<List<String>> kept = new HashSet<>();
          checked.forEach(r -> kept.add(List.of(r.agent(), r.traceId(), r.spanId())));
          long version = versions.next();
          List<List<Object>> rows = new ArrayList<>();
          for (List<String> chunk : Jdbc.chunks(new LinkedHashSet<>(traceIds), IN_LIST_CHUNK)) {
            Jdbc.query(
                c,
                RunRows.storedKeys(project, chunk),
                rs -> {
                  RunRows.Key key = RunRows.readKey(rs);
                  if (!kept.contains(List.of(key.agent(), key.traceId(), key.spanId()))) {
                    rows.add(RunRows.tombstone(project, key, version));
                  }
                });
          }
          checked.forEach(r -> rows.add(RunRows.values(r, version)));
          Jdbc.insertBatch(c, RunRows.INSERT, rows);
        });
  }

  @Override
  public List<RunSummary> runs(
      String project, String agent, String agentVersion, TimeRange range, int limit) {
    return read(
        "reading runs",
        c -> {
          List<RunSummary> out = new ArrayList<>();
          Jdbc.query(
              c,
              RunRows.runs(project, agent, agentVersion, range, limit),
              rs -> out.add(RunRows.read(rs)));
          return out;
        });
  }

  @Override
  public List<PathGroup> pathGroups(
      String project, String agent, String agentVersion, TimeRange range) {
    return read(
        "grouping runs by path",
        c -> {
          Map<Long, List<NavigableMap<Integer, Long>>> histograms = new HashMap<>();
          Jdbc.query(
              c,
              RunRows.pathHistograms(project, agent, agentVersion, range),
              rs -> {
                List<NavigableMap<Integer, Long>> h =
                    histograms.computeIfAbsent(
                        rs.getLong("PathKey"), k -> List.of(new TreeMap<>(), new TreeMap<>()));
                boolean byDuration = rs.getInt("ByDuration") == 1;
                h.get(byDuration ? 1 : 0)
                    .put(rs.getInt(byDuration ? "DurationBucket" : "CostBucket"), rs.getLong("N"));
              });
          List<PathGroup> out = new ArrayList<>();
          Jdbc.query(
              c,
              RunRows.pathGroups(project, agent, agentVersion, range),
              rs -> {
                List<NavigableMap<Integer, Long>> h =
                    histograms.getOrDefault(
                        rs.getLong("PathKey"), List.of(new TreeMap<>(), new TreeMap<>()));
                out.add(RunRows.readGroup(rs, h.get(0), h.get(1)));
              });
          return out;
        });
  }

  // --- state the pipeline keeps -------------------------------------------------------------

  @Override
  public void savePriceOverride(String project, ModelPricing pricing) {
    String json = pricing.toJson();
    writeAll(
        "saving a price override",
        c -> {
          Jdbc.insertBatch(
              c,
              ResultRows.INSERT_PRICE_OVERRIDE,
              List.of(
                  List.of(project, pricing.provider(), pricing.model(), json, versions.next())));
        });
  }

  @Override
  public List<ModelPricing> priceOverrides(String project) {
    return read(
        "reading price overrides",
        c -> {
          List<ModelPricing> out = new ArrayList<>();
          Jdbc.query(
              c,
              ResultRows.priceOverrides(project),
              rs -> out.add(pricing(project, rs.getString("Pricing"))));
          return out;
        });
  }

  @Override
  public void saveToolPrice(String project, ToolPrice price) {
    String json = price.toJson();
    writeAll(
        "saving a tool price",
        c ->
            Jdbc.insertBatch(
                c,
                ResultRows.INSERT_TOOL_PRICE,
                List.of(List.of(project, price.tool(), json, versions.next()))));
  }

  @Override
  public List<ToolPrice> toolPrices(String project) {
    return read(
        "reading tool prices",
        c -> {
          List<ToolPrice> out = new ArrayList<>();
          Jdbc.query(
              c,
              ResultRows.toolPrices(project),
              rs -> {
                try {
                  out.add(ToolPrice.fromJson(rs.getString("Price")));
                } catch (IllegalArgumentException e) {
                  throw StoreFailures.badJson("a stored tool price of project " + project, e);
                }
              });
          return out;
        });
  }

  @Override
  public Optional<String> state(String key) {
    return read(
        "reading pipeline state",
        c -> {
          List<String> out = new ArrayList<>(1);
          Jdbc.query(c, ResultRows.state(key), rs -> out.add(rs.getString("Value")));
          return out.stream().findFirst();
        });
  }

  @Override
  public void saveState(String key, String value) {
    writeAll(
        "saving pipeline state",
        c -> {
          Jdbc.insertBatch(
              c, ResultRows.INSERT_STATE, List.of(List.of(key, value, versions.next())));
        });
  }

  // --- alert rules and the notification outbox (AlertTables) -----------------------------------

  @Override
  public void saveAlertRule(AlertRule rule) {
    alerts.saveRule(rule);
  }

  @Override
  public Optional<AlertRule> alertRule(String project, String id) {
    return alerts.rule(project, id);
  }

  @Override
  public List<AlertRule> alertRules(String project) {
    return alerts.rules(project);
  }

  @Override
  public List<AlertRule> allAlertRules() {
    return alerts.allRules();
  }

  @Override
  public boolean deleteAlertRule(String project, String id) {
    return alerts.deleteRule(project, id);
  }

  @Override
  public void saveAlertStates(List<AlertState> states) {
    alerts.saveStates(states);
  }

  @Override
  public List<AlertState> alertStates(String project) {
    return alerts.states(project);
  }

  @Override
  public List<AlertState> firingAlertStates() {
    return alerts.firingStates();
  }

  @Override
  public int enqueueNotifications(List<Notification> notifications, List<String> sinks) {
    return alerts.enqueue(notifications, sinks);
  }

  @Override
  public List<PendingDelivery> pendingDeliveries(String sink, int limit) {
    return alerts.pending(sink, limit);
  }

  @Override
  public void saveDelivery(Delivery delivery) {
    alerts.saveDelivery(delivery);
  }

  @Override
  public List<Notification> firingNotifications() {
    return alerts.firing();
  }

  @Override
  public List<Notification> notifications(String project, TimeRange range) {
    return alerts.notifications(project, range);
  }

  @Override
  public int deleteDoneNotifications(Instant before) {
    return alerts.deleteDone(before);
  }

  @Override
  public void claimLeases(List<LeaseClaim> claims) {
    if (claims.isEmpty()) {
      return;
    }
    write(
        "claiming leases",
        c -> {
          Jdbc.insertBatch(c, LeaseClaims.INSERT, LeaseClaims.rows(claims));
          return Boolean.TRUE;
        });
  }

  @Override
  public List<LeaseClaim> leaseClaims(long term) {
    return read(
        "reading lease claims",
        c -> {
          List<LeaseClaim> out = new ArrayList<>();
          Jdbc.query(
              c,
              LeaseClaims.select(term),
              rs -> out.add(new LeaseClaim(rs.getString("Job"), term, rs.getString("Holder"))));
          return LeaseClaims.distinct(out);
        });
  }

  @Override
  public StoreHealth check() {
    try {
      return read(
          "checking the store",
          c -> {
            Jdbc.query(c, Sql.of("SELECT 1"), rs -> {});
            return StoreHealth.healthy();
          });
    } catch (RuntimeException e) {
      return StoreHealth.down(String.valueOf(e.getMessage()));
    }
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      pool.close();
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  @Override
  public void replaceDecisionTrees(String project, List<DecisionTree> trees) {
    if (trees.isEmpty()) {
      return;
    }
    writeAll(
        "saving decision trees", c -> DecisionRows.replace(c, project, trees, versions.next()));
  }

  @Override
  public Optional<DecisionTreePage> decisionTreePage(
      String project, String traceId, int afterSeq, int limit) {
    return read(
        "reading a decision tree", c -> DecisionRows.page(c, project, traceId, afterSeq, limit));
  }

  @Override
  public void replaceCostTrees(String project, List<FlatTree> trees) {
    if (trees.isEmpty()) {
      return;
    }
    writeAll("saving cost trees", c -> CostTreeRows.replace(c, project, trees, versions.next()));
  }

  @Override
  public Optional<FlatTree.Head> costTreeHead(String project, String traceId) {
    return read(
        "reading a cost tree",
        c -> CostTreeRows.head(c, project, traceId).map(CostTreeRows.Versioned::head));
  }

  @Override
  public Optional<FlatTree.Node> costTreeNode(String project, String traceId, String spanId) {
    return read("reading a cost tree node", c -> CostTreeRows.node(c, project, traceId, spanId));
  }

  @Override
  public List<FlatTree.Node> costTreeNodes(
      String project,
      String traceId,
      int fromSeq,
      int toSeq,
      int minDepth,
      int maxDepth,
      int limit) {
    return read(
        "reading a cost tree",
        c -> CostTreeRows.nodes(c, project, traceId, fromSeq, toSeq, minDepth, maxDepth, limit));
  }

  private <T> T read(String what, ConnectionPool.Work<T> work) {
    try {
      return pool.with(work);
    } catch (SQLException e) {
      throw Failures.wrap(what, e);
    }
  }

  private <T> T write(String what, ConnectionPool.Work<T> work) {
    synchronized (writeLock) {
      return read(what, work);
    }
  }

  private void writeAll(String what, ConnectionPool.Task task) {
    synchronized (writeLock) {
      try {
        pool.run(task);
      } catch (SQLException e) {
        throw Failures.wrap(what, e);
      }
    }
  }

  private static ModelPricing pricing(String project, String json) {
    try {
      return ModelPricing.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw StoreFailures.badJson("a stored price override of project " + project, e);
    }
  }

  /** Trace id → {first, last} span start (epoch nanos) of the known chains among the ids. */
  private static Map<String, long[]> traceRanges(
      Connection c, String project, Collection<String> traceIds) throws SQLException {
    Map<String, long[]> out = new LinkedHashMap<>();
    Jdbc.query(
        c,
        Lookups.traceRanges(project, traceIds),
        rs ->
            out.put(
                rs.getString("TraceId"), new long[] {rs.getLong("StartNs"), rs.getLong("EndNs")}));
    return out;
  }

  private static long[] union(Collection<long[]> ranges) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (long[] r : ranges) {
      lo = Math.min(lo, r[0]);
      hi = Math.max(hi, r[1]);
    }
    return new long[] {lo, hi};
  }

  private static UsageTotals usage(ResultSet rs) throws SQLException {
    return new UsageTotals(
        rs.getLong("input_tokens"),
        rs.getLong("output_tokens"),
        rs.getLong("cache_read_tokens"),
        rs.getLong("cache_write_tokens"),
        rs.getLong("reasoning_tokens"));
  }

  private static List<String> key(ResultSet rs, int n) throws SQLException {
    List<String> key = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      key.add(rs.getString("k" + i));
    }
    return key;
  }
}
