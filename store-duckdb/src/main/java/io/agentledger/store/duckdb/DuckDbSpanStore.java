package io.agentledger.store.duckdb;

import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.FlatTree;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.AgentStats;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertState;
import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.ChainRef;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.Delivery;
import io.agentledger.store.LeaseClaim;
import io.agentledger.store.Notification;
import io.agentledger.store.Page;
import io.agentledger.store.PendingDelivery;
import io.agentledger.store.Regression;
import io.agentledger.store.RunSummary;
import io.agentledger.store.SessionReport;
import io.agentledger.store.SessionReports;
import io.agentledger.store.SpanStore;
import io.agentledger.store.StoreHealth;
import io.agentledger.store.TimeRange;
import io.agentledger.store.paths.PathGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * The default store: one embedded DuckDB file.
 *
 * <p>Writes go through one connection, serialized ({@link Database}), except appends, which run on
 * two side by side; reads use their own connections. Each job has its own class: {@link
 * SpanAppends} (idempotent appends), {@link Settlements} (settled chains), {@link ChainReads},
 * {@link CostReads}, {@link RegressionRows}, {@link AnomalyRows}, {@link StateRows}, {@link
 * RunRows}, {@link AlertRows}; {@link SpanRows} and {@link ChainRows} map rows, {@link Migrations}
 * keeps the schema, {@link DuckDbErrors} classifies failures.
 */
public final class DuckDbSpanStore implements SpanStore {

  /**
   * What DuckDB may hold by default: 2 GiB. DuckDB's own default is 80 % of the machine's memory,
   * which beside the JVM's heap lets the process grow until the machine runs out (a 30-minute soak
   * grew 4 GB past the heap, with the file).
   */
  public static final long DEFAULT_MEMORY_LIMIT = 2L << 30;

  /** Connections that append spans side by side (the collector's two consumers by default). */
  private static final int APPEND_WRITERS = 2;

  private final Database db;
  private final SpanAppends appends;
  private final Settlements settlements;
  private final ChainReads chains;
  private final CostReads costs;
  private final AnomalyRows anomalies;
  private final RegressionRows regressions;
  private final StateRows state;
  private final AlertRows alerts;
  private final LeaseRows leases;
  private final DecisionRows decisions;
  private final CostTreeRows costTrees;
  private final RunRows runs;

  private DuckDbSpanStore(DuckDBConnection writer, Clock clock, long memoryLimit)
      throws SQLException {
    Migrations.apply(writer);
    try (Statement st = writer.createStatement()) {
      if (memoryLimit > 0) {
        st.execute("SET memory_limit = '" + memoryLimit + "B'");
      }
      // DuckDB checkpoints when the WAL passes 16 MB, which at ~1.5 kB a span is every batch the
      // collector writes; checkpointing per gigabyte instead made appends 1.6× faster (bench/run).
      st.execute("SET checkpoint_threshold = '1GB'");
    }
    this.db = new Database(writer, APPEND_WRITERS);
    this.appends = SpanAppends.open(db, clock);
    this.settlements = Settlements.open(db);
    this.chains = new ChainReads(db);
    this.costs = new CostReads(db);
    this.anomalies = new AnomalyRows(db);
    this.regressions = new RegressionRows(db);
    this.state = new StateRows(db);
    this.alerts = new AlertRows(db);
    this.leases = new LeaseRows(db);
    this.decisions = new DecisionRows(db, clock);
    this.costTrees = new CostTreeRows(db, clock);
    this.runs = RunRows.open(db);
  }

  /**
   * Opens (creating if needed) the store in a DuckDB file, applying pending schema migrations, with
   * DuckDB's memory bounded by {@link #DEFAULT_MEMORY_LIMIT}.
   *
   * @param clock the store's clock: it stamps when spans were stored
   */
  public static DuckDbSpanStore open(Path file, Clock clock) {
    return open(file, clock, DEFAULT_MEMORY_LIMIT);
  }

  /**
   * Like {@link #open(Path, Clock)}, DuckDB holding at most {@code memoryLimit} bytes (its cache of
   * the file and the work of queries; beyond it, it evicts and spills to files beside the store).
   */
  public static DuckDbSpanStore open(Path file, Clock clock, long memoryLimit) {
    Objects.requireNonNull(clock, "clock");
    if (memoryLimit <= 0) {
      throw new IllegalArgumentException("memoryLimit must be positive: " + memoryLimit);
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return connect("jdbc:duckdb:" + file.toAbsolutePath(), clock, memoryLimit);
    } catch (SQLException | IOException e) {
      throw Database.FAILURES.wrap("opening the DuckDB store at " + file, e);
    }
  }

  /** A store that lives in memory only (tests, benchmarks), with DuckDB's default memory limit. */
  public static DuckDbSpanStore inMemory(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    try {
      return connect("jdbc:duckdb:", clock, 0);
    } catch (SQLException e) {
      throw Database.FAILURES.wrap("opening an in-memory DuckDB", e);
    }
  }

  /** {@code memoryLimit} 0 keeps DuckDB's default. */
  private static DuckDbSpanStore connect(String url, Clock clock, long memoryLimit)
      throws SQLException {
    DuckDBConnection writer = (DuckDBConnection) DriverManager.getConnection(url);
    try {
      return new DuckDbSpanStore(writer, clock, memoryLimit);
    } catch (SQLException | RuntimeException e) {
      try {
        writer.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public int append(List<AgentSpan> spans) {
    return appends.append(spans);
  }

  @Override
  public void saveRollups(List<ChainRollupResult> rollups) {
    settlements.save(rollups);
  }

  @Override
  public Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds) {
    return chains.chainSpans(project, traceIds);
  }

  @Override
  public Page<ChainSummary> chains(String project, ChainQuery query) {
    return chains.chains(project, query);
  }

  @Override
  public Optional<ChainSummary> chainSummary(String project, String traceId) {
    return chains.chainSummary(project, traceId);
  }

  @Override
  public List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit) {
    return chains.chainsTouched(after, upTo, limit);
  }

  @Override
  public CostReport costs(String project, CostQuery query) {
    return costs.costs(project, query);
  }

  @Override
  public Optional<SessionReport> session(String project, String sessionId) {
    List<String> traceIds = chains.sessionChains(project, sessionId);
    return SessionReports.fromSpans(sessionId, chains.chainSpans(project, traceIds).values());
  }

  @Override
  public Optional<SessionReport> workflow(String project, String workflowId) {
    List<String> traceIds = chains.workflowChains(project, workflowId);
    return SessionReports.fromSpans(workflowId, chains.chainSpans(project, traceIds).values());
  }

  @Override
  public List<AgentStats> agents(String project, TimeRange range) {
    return costs.agents(project, range);
  }

  @Override
  public void saveAnomalies(List<Anomaly> anomalies) {
    this.anomalies.save(anomalies);
  }

  @Override
  public List<Anomaly> anomalies(String project, AnomalyQuery query) {
    return anomalies.list(project, query);
  }

  @Override
  public void saveRegressions(List<Regression> regressions) {
    this.regressions.save(regressions);
  }

  @Override
  public List<Regression> regressions(String project, TimeRange range, String agent) {
    return this.regressions.read(project, range, agent);
  }

  @Override
  public void replaceRuns(String project, Collection<String> traceIds, List<RunSummary> runs) {
    this.runs.replace(project, traceIds, runs);
  }

  @Override
  public List<RunSummary> runs(
      String project, String agent, String agentVersion, TimeRange range, int limit) {
    return runs.runs(project, agent, agentVersion, range, limit);
  }

  @Override
  public List<PathGroup> pathGroups(
      String project, String agent, String agentVersion, TimeRange range) {
    return runs.pathGroups(project, agent, agentVersion, range);
  }

  @Override
  public void savePriceOverride(String project, ModelPricing pricing) {
    state.savePriceOverride(project, pricing);
  }

  @Override
  public List<ModelPricing> priceOverrides(String project) {
    return state.priceOverrides(project);
  }

  @Override
  public void saveToolPrice(String project, ToolPrice price) {
    state.saveToolPrice(project, price);
  }

  @Override
  public List<ToolPrice> toolPrices(String project) {
    return state.toolPrices(project);
  }

  @Override
  public Optional<String> state(String key) {
    return state.state(key);
  }

  @Override
  public void saveState(String key, String value) {
    state.saveState(key, value);
  }

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
    leases.claim(claims);
  }

  @Override
  public List<LeaseClaim> leaseClaims(long term) {
    return leases.claims(term);
  }

  @Override
  public void replaceDecisionTrees(String project, List<DecisionTree> trees) {
    decisions.replace(project, trees);
  }

  @Override
  public Optional<DecisionTreePage> decisionTreePage(
      String project, String traceId, int afterSeq, int limit) {
    return decisions.page(project, traceId, afterSeq, limit);
  }

  @Override
  public void replaceCostTrees(String project, List<FlatTree> trees) {
    costTrees.replace(project, trees);
  }

  @Override
  public Optional<FlatTree.Head> costTreeHead(String project, String traceId) {
    return costTrees.head(project, traceId);
  }

  @Override
  public Optional<FlatTree.Node> costTreeNode(String project, String traceId, String spanId) {
    return costTrees.node(project, traceId, spanId);
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
    return costTrees.nodes(project, traceId, fromSeq, toSeq, minDepth, maxDepth, limit);
  }

  @Override
  public StoreHealth check() {
    try {
      return db.read(
          "checking the store",
          c -> {
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM schema_migrations")) {
              rs.next();
              return StoreHealth.healthy();
            }
          });
    } catch (RuntimeException e) {
      return StoreHealth.down(String.valueOf(e.getMessage()));
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
