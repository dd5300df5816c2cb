package io.agentledger.standalone;

import io.agentledger.analyzer.alert.AlertEvaluator;
import io.agentledger.analyzer.anomaly.AnomalyNotifier;
import io.agentledger.analyzer.anomaly.DetectionCycle;
import io.agentledger.analyzer.decision.DecisionTreeDerivation;
import io.agentledger.analyzer.lease.Lease;
import io.agentledger.analyzer.lease.Leases;
import io.agentledger.analyzer.metrics.CostMetrics;
import io.agentledger.analyzer.notify.NotificationService;
import io.agentledger.analyzer.regress.RegressionDetector;
import io.agentledger.analyzer.regress.RegressionRunner;
import io.agentledger.analyzer.runs.RunDerivation;
import io.agentledger.analyzer.settle.ChainSettler;
import io.agentledger.analyzer.settle.CostTreeDerivation;
import io.agentledger.api.HealthCheck;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.collector.CollectorMetrics;
import io.agentledger.collector.Topics;
import io.agentledger.collector.ingest.IngestService;
import io.agentledger.collector.ingest.ProjectCatalogs;
import io.agentledger.collector.otlp.OtlpReceiver;
import io.agentledger.collector.otlp.SpanPublisher;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.kafka.embedded.EmbeddedKafkaBroker;
import io.agentledger.store.SpanStore;
import io.agentledger.store.StoreHealth;
import io.agentledger.store.clickhouse.ClickHouseSpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one process, or some of its {@linkplain Role roles}: embedded Kafka broker
 * (unless an external cluster is configured), OTLP/HTTP receiver, Kafka consumers writing to the
 * store, the chain settler and the query API.
 *
 * <p>{@link #close()} shuts down in the order that keeps every acknowledged span: stop accepting
 * requests, flush the producer, let the consumers write and commit what they hold, then stop the
 * analyzer, the API, the store and the broker.
 */
public final class Standalone implements AutoCloseable {

  /**
   * What a process runs: {@code agentledger up} runs all three; {@code agentledger collector},
   * {@code analyzer} and {@code api} run one each, sharing an external Kafka and ClickHouse.
   */
  public enum Role {
    /** The OTLP receiver and the consumers writing spans from Kafka to the store. */
    COLLECTOR,
    /** Settlement, alert rules, anomaly and regression detection, notifications. */
    ANALYZER,
    /** The query API and the chain explorer page. */
    API
  }

  private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);
  private static final Duration SETTLE_INTERVAL = Duration.ofSeconds(1);
  private static final int SETTLE_PAGE = 500;
  private static final String DUCKDB_FILE = "agentledger.duckdb";

  private final StandaloneConfig config;
  private final Optional<ApiKeys.Generated> generatedKey;
  private final Map<String, String> kafkaClient;
  private final Deque<AutoCloseable> shutdownOrder = new ArrayDeque<>();
  private final SpanStore store;
  private final Set<Role> roles;
  private final @Nullable IngestService ingest; // null unless a collector
  private final @Nullable OtlpReceiver receiver; // null unless a collector
  private final QueryApiServer api;
  private final PrometheusMeterRegistry registry;

  private Standalone(StandaloneConfig config, Set<Role> roles) {
    this.config = config;
    this.roles = Set.copyOf(roles);
    boolean all = this.roles.containsAll(EnumSet.allOf(Role.class));
    if (!all) {
      requireSharedInfrastructure(config, this.roles);
    }
    try {
      DataDirectory.secure(config.dataDir());
      Clock clock = Clock.systemUTC();
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);

      ApiKeys keys;
      if (config.apiKeys().isPresent()) {
        keys = ApiKeys.parse(config.apiKeys().get());
        generatedKey = Optional.empty();
      } else {
        ApiKeys.Generated generated = ApiKeys.loadOrGenerate(config.dataDir());
        keys = generated.keys();
        generatedKey = Optional.of(generated);
      }

      // Closed last-in first-out: each component is registered right after it starts.
      Map<String, String> kafka = config.kafkaClient();
      if (roles.contains(Role.COLLECTOR) && config.kafkaBootstrap().isEmpty()) {
        EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.builder(config.dataDir().resolve("kafka"))
                .port(config.kafkaPort())
                .start();
        shutdownOrder.push(broker);
        kafka = broker.clientProperties();
      }
      kafkaClient = kafka;
      if (roles.contains(Role.COLLECTOR)) {
        Topics.ensure(kafka, config.collector());
      }

      store = openStore(config, clock);
      shutdownOrder.push(store::close);
      DataDirectory.restrict(config.dataDir().resolve(DUCKDB_FILE));

      PriceCatalog catalog = PriceCatalog.bundled();
      CollectorMetrics metrics = new CollectorMetrics(registry);
      IngestService consumers = null;
      if (roles.contains(Role.COLLECTOR)) {
        ProjectCatalogs catalogs =
            new ProjectCatalogs(catalog, store, store::toolPrices, clock, Duration.ofSeconds(10));
        IngestService started =
            new IngestService(
                kafka,
                store,
                catalogs,
                catalogs::toolPrices,
                config.collector(),
                metrics,
                keys.projects()::contains); // a record for a project without a key is refused
        shutdownOrder.push(() -> started.close(Duration.ofSeconds(30)));
        consumers = started;
      }
      ingest = consumers;

      if (roles.contains(Role.ANALYZER)) {
        startAnalyzer(config, keys, clock, all);
      }

      List<HealthCheck> checks = new ArrayList<>();
      if (consumers != null) {
        checks.add(HealthCheck.degrading("consumers", consumers::problem));
      }
      checks.add(
          HealthCheck.of(
              "store",
              () -> {
                StoreHealth health = store.check();
                return health.up() ? Optional.empty() : Optional.of(health.detail());
              }));
      QueryApiServer server;
      if (roles.contains(Role.API)) {
        QueryApi queryApi =
            new QueryApi(store, keys, catalog, registry, clock, version(), config.apiLimits());
        server = new QueryApiServer(queryApi, registry, checks);
      } else {
        server = QueryApiServer.operational(registry, checks);
      }
      api = server.start(config.host(), config.apiPort());
      shutdownOrder.push(api);

      if (consumers != null) {
        SpanPublisher publisher = new SpanPublisher(kafka, config.collector().spansTopic());
        shutdownOrder.push(() -> publisher.close(Duration.ofSeconds(10)));
        OtlpReceiver started =
            new OtlpReceiver(
                    keys,
                    publisher,
                    config.collector(),
                    config.receiverLimits(),
                    metrics,
                    consumers::backlog)
                .start(config.host(), config.otlpPort());
        shutdownOrder.push(started);
        receiver = started;
      } else {
        receiver = null;
      }
    } catch (RuntimeException e) {
      closeAll();
      throw e;
    }
  }

  /**
   * The analyzer: settlement, alert rules, anomaly and regression detection, notifications. On
   * ClickHouse several analyzers may share the store: each job runs on one of them at a time, under
   * a lease taken through the store; an analyzer-only process also shares settlement, shard by
   * shard. DuckDB is this process's alone.
   */
  private void startAnalyzer(StandaloneConfig config, ApiKeys keys, Clock clock, boolean all) {
    Function<String, Lease> leases = job -> Lease.ALWAYS;
    int shards = 1;
    if (config.store() == StandaloneConfig.StoreKind.CLICKHOUSE) {
      List<String> jobs = new ArrayList<>(notificationSinks(config, clock));
      if (!all) {
        shards = config.settleShards();
        for (int i = 0; i < shards; i++) {
          jobs.add(settleJob(i, shards));
        }
      }
      Leases shared = startLeases(config, store, clock, jobs);
      shutdownOrder.push(() -> shared.close(Duration.ofSeconds(10)));
      leases = shared::lease;
    }

    // Sinks deliver from the store's outbox on their own threads; detectors only publish.
    NotificationService notifications =
        config.notifications().start(store, clock, registry, leases);
    shutdownOrder.push(() -> notifications.close(Duration.ofSeconds(10)));

    ChainSettler settler =
        new ChainSettler(
            store,
            store,
            List.of(
                new DecisionTreeDerivation(store),
                new CostTreeDerivation(store, CostTreeDerivation.DEFAULT_MIN_SPANS),
                new RunDerivation(store),
                new CostMetrics(registry, config.metricsMaxLabelValues())),
            clock,
            config.settleIdle(),
            SETTLE_PAGE,
            registry);
    if (shards == 1) {
      settler.start(SETTLE_INTERVAL);
      shutdownOrder.push(() -> settler.close(Duration.ofSeconds(10)));
    } else {
      // A window of chains starts only while the lease lasts a margin (a fifth of a term) more.
      Duration window = config.leaseTerm().dividedBy(5);
      for (int i = 0; i < shards; i++) {
        ChainSettler shard = settler.shard(i, shards);
        shard.start(SETTLE_INTERVAL, leases.apply(settleJob(i, shards)), window);
        shutdownOrder.push(() -> shard.close(Duration.ofSeconds(10)));
      }
    }

    AlertEvaluator alerts =
        new AlertEvaluator(store, store, notifications.notifications(), clock, registry);
    alerts.start(config.alertInterval(), leases.apply(Leases.ALERTS));
    shutdownOrder.push(() -> alerts.close(Duration.ofSeconds(10)));
    DetectionCycle detection =
        new DetectionCycle(
            store,
            store,
            keys::projects,
            clock,
            config.anomalies(),
            new AnomalyNotifier(notifications.notifications()),
            registry);
    detection.start(leases.apply(Leases.ANOMALIES));
    shutdownOrder.push(() -> detection.close(Duration.ofSeconds(10)));
    // Its own cycle for now; the anomaly detection cycle may run it instead.
    RegressionRunner regressions =
        new RegressionRunner(
            store,
            store,
            notifications.notifications(),
            new RegressionDetector(config.regressions()),
            keys::projects,
            clock,
            registry);
    regressions.start(config.regressions().interval(), leases.apply(Leases.REGRESSIONS));
    shutdownOrder.push(() -> regressions.close(Duration.ofSeconds(10)));
  }

  /** The lease job of settlement shard {@code index} of {@code count}. */
  static String settleJob(int index, int count) {
    return "settle:" + index + "/" + count;
  }

  /**
   * A process running some roles only shares Kafka and ClickHouse with the others, and the keys
   * (each process must know every project).
   */
  private static void requireSharedInfrastructure(StandaloneConfig config, Set<Role> roles) {
    List<String> missing = new ArrayList<>();
    if (config.store() != StandaloneConfig.StoreKind.CLICKHOUSE) {
      missing.add("AGENTLEDGER_STORE=clickhouse (DuckDB is one process's alone)");
    }
    if (roles.contains(Role.COLLECTOR) && config.kafkaBootstrap().isEmpty()) {
      missing.add("AGENTLEDGER_KAFKA_BOOTSTRAP (the collectors share an external cluster)");
    }
    if (config.apiKeys().isEmpty()) {
      missing.add("AGENTLEDGER_API_KEYS (every role must know every project's key)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "the "
              + roles.stream()
                  .map(r -> r.name().toLowerCase(java.util.Locale.ROOT))
                  .sorted()
                  .toList()
              + " role(s) alone need "
              + String.join(", ", missing));
    }
  }

  /** Starts everything; returns once both HTTP ports accept requests. */
  public static Standalone start(StandaloneConfig config) {
    return new Standalone(config, EnumSet.allOf(Role.class));
  }

  /**
   * Starts some roles only (the others run in other processes on the same Kafka and ClickHouse);
   * returns once its HTTP ports accept requests.
   *
   * @throws IllegalArgumentException when the configuration cannot be shared (DuckDB, the embedded
   *     broker, generated keys)
   */
  public static Standalone start(StandaloneConfig config, Set<Role> roles) {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("no role to run");
    }
    return new Standalone(config, roles);
  }

  private static List<String> notificationSinks(StandaloneConfig config, Clock clock) {
    return config.notifications().sinks(clock).stream().map(s -> Leases.sink(s.name())).toList();
  }

  private static Leases startLeases(
      StandaloneConfig config, SpanStore store, Clock clock, List<String> moreJobs) {
    List<String> jobs = new ArrayList<>(List.of(Leases.ANOMALIES, Leases.ALERTS));
    jobs.add(Leases.REGRESSIONS);
    jobs.add(Leases.RETENTION);
    jobs.addAll(moreJobs);
    String holder =
        ProcessHandle.current().pid()
            + "@"
            + java.util.UUID.randomUUID().toString().substring(0, 8);
    Leases leases = new Leases(store, holder, jobs, config.leaseTerm(), clock);
    leases.start();
    LOG.info("Analyzer jobs run under leases of {} (instance {})", config.leaseTerm(), holder);
    return leases;
  }

  private static SpanStore openStore(StandaloneConfig config, Clock clock) {
    return switch (config.store()) {
      case DUCKDB ->
          DuckDbSpanStore.open(config.dataDir().resolve(DUCKDB_FILE), clock, config.duckDbMemory());
      case CLICKHOUSE -> {
        Properties props = new Properties();
        props.setProperty("user", config.clickHouseUser());
        props.setProperty("password", config.clickHousePassword());
        yield ClickHouseSpanStore.open(
            config.clickHouseUrl().orElseThrow(), props, config.retention(), clock);
      }
    };
  }

  static String version() {
    String v = Standalone.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  public StandaloneConfig config() {
    return config;
  }

  /** The key generated for project {@code default}; empty when keys were configured. */
  public Optional<String> generatedKey() {
    return generatedKey.map(ApiKeys.Generated::key);
  }

  /** Whether this start generated the key (the only start that prints it). */
  public boolean keyCreated() {
    return generatedKey.map(ApiKeys.Generated::created).orElse(false);
  }

  /** The roles this process runs. */
  public Set<Role> roles() {
    return roles;
  }

  /** {@code http://host:port/v1/traces}, as reachable from this machine. */
  public URI tracesEndpoint() {
    return URI.create("http://" + reachableHost() + ":" + receiver().port() + OtlpReceiver.PATH);
  }

  private OtlpReceiver receiver() {
    if (receiver == null) {
      throw new IllegalStateException("this process runs no collector");
    }
    return receiver;
  }

  /**
   * {@code http://host:port} of the OTLP receiver: what {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set
   * to, SDKs append {@code /v1/traces}, {@code /v1/logs}, {@code /v1/metrics}.
   */
  public URI otlpBase() {
    return URI.create("http://" + reachableHost() + ":" + receiver().port());
  }

  /** {@code http://host:port} of the query API, {@code /metrics}, {@code /health}. */
  public URI apiBase() {
    return URI.create("http://" + reachableHost() + ":" + api.port());
  }

  /** The Kafka cluster in use (the embedded broker's address when embedded). */
  public String kafkaBootstrap() {
    // Both sources (the embedded broker, the external-cluster settings) name the cluster.
    return Objects.requireNonNull(kafkaClient.get("bootstrap.servers"), "bootstrap.servers");
  }

  /**
   * Properties for a Kafka client of the cluster in use, with its credentials (for the benchmark
   * and tests); never log them.
   */
  public Map<String, String> kafkaClient() {
    return kafkaClient;
  }

  /** The store, for tests and the demo workload. */
  public SpanStore store() {
    return store;
  }

  private String reachableHost() {
    String host = config.host();
    return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
  }

  /** The metrics served at {@code /metrics}. */
  public io.micrometer.core.instrument.MeterRegistry metrics() {
    return registry;
  }

  /** Records the consumers have not yet written to the store. */
  public long consumerLag() {
    if (ingest == null) {
      throw new IllegalStateException("this process runs no collector");
    }
    return ingest.lag();
  }

  /** Flushes and stops everything, in the order that keeps every acknowledged span. */
  @Override
  public synchronized void close() {
    closeAll();
  }

  private void closeAll() {
    while (!shutdownOrder.isEmpty()) {
      AutoCloseable c = shutdownOrder.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Error during shutdown: {}", e.toString(), e);
      }
    }
  }
}
