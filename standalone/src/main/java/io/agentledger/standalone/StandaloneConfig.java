package io.agentledger.standalone;

import io.agentledger.collector.CollectorConfig;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.config.KafkaClientSettings;
import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
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
 * @param kafkaClient client properties of the external cluster ({@code bootstrap.servers} and its
 *     security settings); empty with the embedded broker, which hands over its own
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
    Optional<String> clickHouseUrl,
    String clickHouseUser,
    String clickHousePassword,
    Duration retention,
    Duration settleIdle,
    CollectorConfig collector,
    Map<String, String> kafkaClient) {

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
      Settings.string("AGENTLEDGER_HOST", "0.0.0.0", "address the HTTP ports listen on");
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

  /**
   * The process's own settings, then the external Kafka cluster's client settings, then the
   * collector's.
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
                  CLICKHOUSE_URL,
                  CLICKHOUSE_USER,
                  CLICKHOUSE_PASSWORD,
                  RETENTION,
                  SETTLE_IDLE),
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
          .and(CollectorConfig.SETTINGS);

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
        nonEmpty(v.get(CLICKHOUSE_URL)),
        v.get(CLICKHOUSE_USER),
        v.get(CLICKHOUSE_PASSWORD),
        v.get(RETENTION),
        v.get(SETTLE_IDLE),
        CollectorConfig.from(v),
        nonEmpty(v.get(KAFKA_BOOTSTRAP))
            .map(b -> KafkaClientSettings.clientProperties(b, v))
            .orElse(Map.of()));
  }

  /** Two listeners on one fixed port cannot both start (0 picks a free port for each). */
  private static Optional<String> samePort(
      Settings.Values v, Setting<Integer> a, Setting<Integer> b) {
    int port = v.get(a);
    return port != 0 && port == v.get(b)
        ? Optional.of(a.name() + " and " + b.name() + " are both " + port + ": use two ports")
        : Optional.empty();
  }

  /** The settings table (the process's and the collector's), for {@code ./agentledger help}. */
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
        + "]";
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
