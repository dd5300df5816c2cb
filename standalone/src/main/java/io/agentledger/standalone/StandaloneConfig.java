package io.agentledger.standalone;

import io.agentledger.analyzer.anomaly.AnomalyConfig;
import io.agentledger.analyzer.anomaly.DetectionSettings;
import io.agentledger.analyzer.metrics.CostMetrics;
import io.agentledger.analyzer.notify.NotificationConfig;
import io.agentledger.analyzer.regress.RegressionConfig;
import io.agentledger.api.ApiLimits;
import io.agentledger.collector.CollectorConfig;
import io.agentledger.collector.otlp.ReceiverLimits;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.config.KafkaClientSettings;
import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code ./agentledger up} can be told, from {@code AGENTLEDGER_*} environment variables
 * (API.md, "Configuration") or the properties file named by {@code AGENTLEDGER_CONFIG_FILE}.
 *
 * @param apiKeys {@code project:key} pairs; empty generates one key for project {@code default}
 * @param kafkaBootstrap an external cluster; empty runs the embedded broker under the data dir
 * @param kafkaPort the embedded broker's client port (0 picks a free one)
 * @param clickHouseUrl JDBC URL, required when {@code store} is ClickHouse
 * @param retention how long ClickHouse keeps spans (zero: forever); DuckDB keeps everything
 * @param settleIdle how long a chain must be quiet before the analyzer settles its summary
 * @param receiverLimits the OTLP receiver's limits on clients
 * @param apiLimits the query API's limits on clients and answers
 * @param kafkaClient client properties of the external cluster ({@code bootstrap.servers} and its
 *     security settings); empty with the embedded broker, which hands over its own
 * @param notifications the alert sinks and their retries
 * @param alertInterval how often users' alert rules are evaluated
 * @param metricsMaxLabelValues distinct values per label of the cost metrics
 * @param anomalies the anomaly detection cycle's settings
 * @param regressions how the analyzer detects regressions in agents' runs
 * @param leaseTerm on ClickHouse, the term of the analyzer's job leases (several analyzers on one
 *     store run each job on one of them)
 * @param settleShards how many shards settlement is cut into for analyzer processes to share
 */
public record StandaloneConfig(
    Path dataDir,
    Optional<String> apiKeys,
    String host,
    int otlpPort,
    int apiPort,
    int kafkaPort,
    Optional<String> kafkaBootstrap,
    StoreKind store,
    long duckDbMemory,
    Optional<String> clickHouseUrl,
    String clickHouseUser,
    String clickHousePassword,
    Duration retention,
    Duration settleIdle,
    CollectorConfig collector,
    ReceiverLimits receiverLimits,
    ApiLimits apiLimits,
    Map<String, String> kafkaClient,
    NotificationConfig notifications,
    Duration alertInterval,
    int metricsMaxLabelValues,
    DetectionSettings anomalies,
    RegressionConfig regressions,
    Duration leaseTerm,
    int settleShards) {

  public StandaloneConfig {
    kafkaClient = Map.copyOf(kafkaClient);
  }

  /** Where spans are stored. */
  public enum StoreKind {
    DUCKDB,
    CLICKHOUSE
  }

  static final Setting<String> DATA_DIR =
      Settings.string(
          "AGENTLEDGER_DATA_DIR", "./data", "DuckDB file, embedded Kafka logs, generated keys");
  static final Setting<String> API_KEYS =
      new Setting<>(
          "AGENTLEDGER_API_KEYS",
          raw -> {
            if (!raw.isBlank()) {
              ApiKeys.parse(raw); // malformed pairs and keys shared by projects are errors; its
              // message names the problem, never the key
            }
            return raw;
          },
          "",
          true,
          "comma-separated project:key pairs (keys of 16+ characters, one key per project);"
              + " unset: one project 'default' with a generated key");
  static final Setting<String> HOST =
      Settings.string(
          "AGENTLEDGER_HOST",
          "127.0.0.1",
          "address the HTTP ports listen on (0.0.0.0 opens them to the network)");
  static final Setting<Integer> OTLP_PORT =
      Settings.integer("AGENTLEDGER_OTLP_PORT", 4318, 0, 65535, "OTLP/HTTP receiver port");
  static final Setting<Integer> API_PORT =
      Settings.integer(
          "AGENTLEDGER_API_PORT", 8080, 0, 65535, "query API, /metrics, /health, /openapi.json");
  static final Setting<Integer> KAFKA_PORT =
      Settings.integer(
          "AGENTLEDGER_KAFKA_PORT",
          9092,
          0,
          65535,
          "client port of the embedded Kafka broker (its controller takes a free port of its own)");
  static final Setting<String> KAFKA_BOOTSTRAP =
      Settings.string(
          "AGENTLEDGER_KAFKA_BOOTSTRAP",
          "",
          "use this Kafka cluster instead of the embedded broker; the topics are created if"
              + " missing");
  static final Setting<StoreKind> STORE =
      Settings.oneOf(
          "AGENTLEDGER_STORE", StoreKind.class, StoreKind.DUCKDB, "duckdb or clickhouse");
  static final Setting<Long> DUCKDB_MEMORY =
      Settings.bytes(
          "AGENTLEDGER_DUCKDB_MEMORY",
          DuckDbSpanStore.DEFAULT_MEMORY_LIMIT,
          64L << 20,
          "memory the DuckDB store may hold (its cache of the file and query work; beyond it,"
              + " it evicts and spills to the data directory); the JVM heap comes on top");
  static final Setting<String> CLICKHOUSE_URL =
      Settings.string(
          "AGENTLEDGER_CLICKHOUSE_URL",
          "",
          "JDBC URL (jdbc:clickhouse://host:8123/db), required when the store is ClickHouse");
  static final Setting<String> CLICKHOUSE_USER =
      Settings.string("AGENTLEDGER_CLICKHOUSE_USER", "default", "ClickHouse user");
  static final Setting<String> CLICKHOUSE_PASSWORD =
      Settings.secret("AGENTLEDGER_CLICKHOUSE_PASSWORD", "", "ClickHouse password");
  static final Setting<Duration> RETENTION =
      Settings.duration(
          "AGENTLEDGER_RETENTION",
          "0s",
          Duration.ZERO,
          "ClickHouse TTL of spans and chains (30d; 0s keeps everything)");
  static final Setting<Duration> SETTLE_IDLE =
      Settings.duration(
          "AGENTLEDGER_SETTLE_IDLE",
          "2s",
          Duration.ofMillis(1),
          "quiet time after which a chain's summary is settled for /chains listings");

  // --- limits on HTTP clients (docs/security.md) ---------------------------------------------

  static final Setting<Integer> MAX_BODY_READS =
      Settings.integer(
          "AGENTLEDGER_MAX_CONCURRENT_BODY_READS",
          ReceiverLimits.defaults().maxConcurrentBodyReads(),
          1,
          10_000,
          "OTLP request bodies read at once (503 above)");
  static final Setting<Duration> BODY_TIMEOUT =
      Settings.duration(
          "AGENTLEDGER_BODY_TIMEOUT",
          "30s",
          Duration.ofMillis(1),
          "longest an OTLP request body may take to arrive (408 above)");
  static final Setting<Long> MIN_BODY_RATE =
      Settings.bytes(
          "AGENTLEDGER_MIN_BODY_RATE",
          ReceiverLimits.defaults().minBodyBytesPerSecond(),
          0,
          "slowest bytes a second an OTLP body may arrive at after the grace (408 below; 0: off)");
  static final Setting<Duration> MIN_BODY_RATE_GRACE =
      Settings.duration(
          "AGENTLEDGER_MIN_BODY_RATE_GRACE",
          "5s",
          Duration.ZERO,
          "time before the minimum body rate applies");
  static final Setting<Duration> HTTP_IDLE_TIMEOUT =
      Settings.duration(
          "AGENTLEDGER_HTTP_IDLE_TIMEOUT",
          "10s",
          Duration.ofMillis(1),
          "longest a request may wait for its next byte, both ports");
  static final Setting<Integer> OTLP_PROJECT_CONCURRENCY =
      Settings.integer(
          "AGENTLEDGER_OTLP_PROJECT_CONCURRENCY",
          ReceiverLimits.defaults().perProject().maxConcurrent(),
          0,
          10_000,
          "OTLP requests of one project in progress at once (429 above; 0: off)");
  static final Setting<Integer> OTLP_PROJECT_RATE =
      Settings.integer(
          "AGENTLEDGER_OTLP_PROJECT_RATE",
          (int) ReceiverLimits.defaults().perProject().ratePerSecond(),
          0,
          1_000_000,
          "OTLP requests a second per project, bursts up to twice that (429 above; 0: off)");
  static final Setting<Integer> OTLP_PROJECT_IN_FLIGHT_PERCENT =
      Settings.integer(
          "AGENTLEDGER_OTLP_PROJECT_IN_FLIGHT_PERCENT",
          ReceiverLimits.defaults().projectInFlightPercent(),
          1,
          100,
          "share of the in-flight byte budget one project may hold (429 above)");
  static final Setting<Integer> API_PROJECT_CONCURRENCY =
      Settings.integer(
          "AGENTLEDGER_API_PROJECT_CONCURRENCY",
          ApiLimits.defaults().perProject().maxConcurrent(),
          0,
          10_000,
          "query API requests of one project in progress at once (429 above; 0: off)");
  static final Setting<Integer> API_PROJECT_RATE =
      Settings.integer(
          "AGENTLEDGER_API_PROJECT_RATE",
          (int) ApiLimits.defaults().perProject().ratePerSecond(),
          0,
          1_000_000,
          "query API requests a second per project, bursts up to twice that (429 above; 0: off)");
  static final Setting<Integer> CHAIN_MAX_SPANS =
      Settings.integer(
          "AGENTLEDGER_CHAIN_MAX_SPANS",
          ApiLimits.defaults().maxChainSpans(),
          1,
          1_000_000,
          "most spans in the tree of GET /chains/{traceId}; larger trees are cut and marked");
  static final Setting<Integer> COSTS_MAX_CELLS =
      Settings.integer(
          "AGENTLEDGER_COSTS_MAX_CELLS",
          ApiLimits.defaults().maxCostCells(),
          1,
          10_000_000,
          "most groups x time buckets in one GET /costs answer (400 above)");
  static final Setting<Integer> MAX_PRICE_OVERRIDES =
      Settings.integer(
          "AGENTLEDGER_MAX_PRICE_OVERRIDES",
          ApiLimits.defaults().maxPriceOverrides(),
          0,
          1_000_000,
          "most price overrides per project (409 above)");
  static final Setting<Duration> WARNING_INTERVAL =
      Settings.duration(
          "AGENTLEDGER_WARNING_INTERVAL",
          "30s",
          Duration.ofMillis(1),
          "repeated warnings are logged once per reason per interval, with a count");

  // --- alerts and cost metrics (README, "Alerts") ---------------------------------------------

  static final Setting<Duration> ALERT_INTERVAL =
      Settings.duration(
          "AGENTLEDGER_ALERT_INTERVAL",
          "1m",
          Duration.ofSeconds(1),
          "how often the alert rules (/alerts/rules) are evaluated");

  static final Setting<Duration> LEASE_TERM =
      Settings.duration(
          "AGENTLEDGER_ANALYZER_LEASE_TERM",
          "1m",
          Duration.ofSeconds(1),
          "on ClickHouse, the term of the leases several analyzers take on their jobs (a stopped"
              + " analyzer's jobs move to another within three terms)");
  static final Setting<Integer> SETTLE_SHARDS =
      Settings.integer(
          "AGENTLEDGER_SETTLE_SHARDS",
          8,
          1,
          1024,
          "shards of chain settlement that `agentledger analyzer` processes share, each under a"
              + " lease (at least the number of analyzers; a changed count settles chains again, which"
              + " is harmless)");

  /**
   * The process's own settings, then the external Kafka cluster's client settings, then the
   * collector's, then the alert sinks' and the cost metrics'.
   */
  static final Settings SETTINGS =
      Settings.of(
              List.of(
                  DATA_DIR,
                  API_KEYS,
                  HOST,
                  OTLP_PORT,
                  API_PORT,
                  KAFKA_PORT,
                  KAFKA_BOOTSTRAP,
                  STORE,
                  DUCKDB_MEMORY,
                  CLICKHOUSE_URL,
                  CLICKHOUSE_USER,
                  CLICKHOUSE_PASSWORD,
                  RETENTION,
                  SETTLE_IDLE,
                  MAX_BODY_READS,
                  BODY_TIMEOUT,
                  MIN_BODY_RATE,
                  MIN_BODY_RATE_GRACE,
                  HTTP_IDLE_TIMEOUT,
                  OTLP_PROJECT_CONCURRENCY,
                  OTLP_PROJECT_RATE,
                  OTLP_PROJECT_IN_FLIGHT_PERCENT,
                  API_PROJECT_CONCURRENCY,
                  API_PROJECT_RATE,
                  CHAIN_MAX_SPANS,
                  COSTS_MAX_CELLS,
                  MAX_PRICE_OVERRIDES,
                  WARNING_INTERVAL),
              List.of(
                  Settings.rule(
                      v ->
                          v.get(STORE) == StoreKind.CLICKHOUSE && v.get(CLICKHOUSE_URL).isBlank()
                              ? Optional.of(
                                  CLICKHOUSE_URL.name()
                                      + " is required when "
                                      + STORE.name()
                                      + "=clickhouse")
                              : Optional.empty(),
                      STORE,
                      CLICKHOUSE_URL),
                  Settings.rule(v -> samePort(v, OTLP_PORT, API_PORT), OTLP_PORT, API_PORT),
                  Settings.rule(
                      v ->
                          v.get(KAFKA_BOOTSTRAP).isBlank()
                              ? samePort(v, KAFKA_PORT, OTLP_PORT)
                                  .or(() -> samePort(v, KAFKA_PORT, API_PORT))
                              : Optional.empty(),
                      KAFKA_BOOTSTRAP,
                      KAFKA_PORT,
                      OTLP_PORT,
                      API_PORT)))
          .and(KafkaClientSettings.SETTINGS)
          .and(CollectorConfig.SETTINGS)
          .and(NotificationConfig.SETTINGS)
          .and(
              Settings.of(
                  List.of(ALERT_INTERVAL, CostMetrics.MAX_LABEL_VALUES, LEASE_TERM, SETTLE_SHARDS)))
          .and(AnomalyConfig.SETTINGS)
          .and(RegressionConfig.SETTINGS);

  /**
   * Reads the configuration.
   *
   * @throws io.agentledger.core.config.ConfigException listing every invalid value at once
   */
  public static StandaloneConfig from(Map<String, String> environment) {
    Settings.Values v = SETTINGS.load(environment);
    return new StandaloneConfig(
        Path.of(v.get(DATA_DIR)).toAbsolutePath().normalize(),
        nonEmpty(v.get(API_KEYS)),
        v.get(HOST),
        v.get(OTLP_PORT),
        v.get(API_PORT),
        v.get(KAFKA_PORT),
        nonEmpty(v.get(KAFKA_BOOTSTRAP)),
        v.get(STORE),
        v.get(DUCKDB_MEMORY),
        nonEmpty(v.get(CLICKHOUSE_URL)),
        v.get(CLICKHOUSE_USER),
        v.get(CLICKHOUSE_PASSWORD),
        v.get(RETENTION),
        v.get(SETTLE_IDLE),
        CollectorConfig.from(v),
        new ReceiverLimits(
            v.get(MAX_BODY_READS),
            v.get(BODY_TIMEOUT),
            v.get(MIN_BODY_RATE),
            v.get(MIN_BODY_RATE_GRACE),
            v.get(HTTP_IDLE_TIMEOUT),
            perProject(v.get(OTLP_PROJECT_CONCURRENCY), v.get(OTLP_PROJECT_RATE)),
            v.get(OTLP_PROJECT_IN_FLIGHT_PERCENT),
            v.get(WARNING_INTERVAL)),
        new ApiLimits(
            perProject(v.get(API_PROJECT_CONCURRENCY), v.get(API_PROJECT_RATE)),
            v.get(CHAIN_MAX_SPANS),
            v.get(COSTS_MAX_CELLS),
            v.get(MAX_PRICE_OVERRIDES),
            v.get(HTTP_IDLE_TIMEOUT),
            v.get(WARNING_INTERVAL)),
        nonEmpty(v.get(KAFKA_BOOTSTRAP))
            .map(b -> KafkaClientSettings.clientProperties(b, v))
            .orElse(Map.of()),
        NotificationConfig.from(v),
        v.get(ALERT_INTERVAL),
        v.get(CostMetrics.MAX_LABEL_VALUES),
        AnomalyConfig.from(v),
        RegressionConfig.from(v),
        v.get(LEASE_TERM),
        v.get(SETTLE_SHARDS));
  }

  private static TenantLimiter.Limits perProject(int concurrency, int rate) {
    return new TenantLimiter.Limits(concurrency, rate, Math.max(1, 2 * rate));
  }

  /** Two listeners on one fixed port cannot both start (0 picks a free port for each). */
  private static Optional<String> samePort(
      Settings.Values v, Setting<Integer> a, Setting<Integer> b) {
    int port = v.get(a);
    return port != 0 && port == v.get(b)
        ? Optional.of(a.name() + " and " + b.name() + " are both " + port + ": use two ports")
        : Optional.empty();
  }

  /**
   * The settings table (the process's, the collector's and the analyzer's), for {@code
   * ./agentledger help}.
   */
  public static String describe() {
    return SETTINGS.describe();
  }

  /** Never prints the keys or the password. */
  @Override
  public String toString() {
    return "StandaloneConfig[dataDir="
        + dataDir
        + ", host="
        + host
        + ", otlpPort="
        + otlpPort
        + ", apiPort="
        + apiPort
        + ", kafka="
        + kafkaBootstrap.orElse("embedded:" + kafkaPort)
        + ", store="
        + store
        + ", alerts="
        + notifications
        + "]";
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
