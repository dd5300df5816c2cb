package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneConfigTest {

  @Test
  void defaults_areThoseOfApiMd() {
    StandaloneConfig c = StandaloneConfig.from(Map.of());
    assertThat(c.dataDir()).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
    assertThat(c.otlpPort()).isEqualTo(4318);
    assertThat(c.apiPort()).isEqualTo(8080);
    assertThat(c.kafkaPort()).isEqualTo(9092);
    assertThat(c.kafkaBootstrap()).isEmpty();
    assertThat(c.apiKeys()).isEmpty();
    assertThat(c.store()).isEqualTo(StandaloneConfig.StoreKind.DUCKDB);
    assertThat(c.settleIdle()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void httpPorts_listenOnLoopbackOnly_unlessTold() {
    assertThat(StandaloneConfig.from(Map.of()).host()).isEqualTo("127.0.0.1");
    assertThat(StandaloneConfig.from(Map.of("AGENTLEDGER_HOST", "0.0.0.0")).host())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void clientLimits_areSettings_withHeapSizedByteDefaults() {
    StandaloneConfig defaults = StandaloneConfig.from(Map.of());
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(defaults.collector().maxDecompressedBytes())
        .isLessThanOrEqualTo(Math.max(heap / 16, defaults.collector().maxBodyBytes()));
    assertThat(defaults.collector().maxInFlightBytes())
        .isLessThanOrEqualTo(Math.max(heap / 4, 16L << 20));

    StandaloneConfig c =
        StandaloneConfig.from(
            Map.of(
                "AGENTLEDGER_MAX_IN_FLIGHT_BYTES", "32MiB",
                "AGENTLEDGER_MAX_DECOMPRESSED_BYTES", "20MiB",
                "AGENTLEDGER_BODY_TIMEOUT", "5s",
                "AGENTLEDGER_OTLP_PROJECT_RATE", "7",
                "AGENTLEDGER_API_PROJECT_CONCURRENCY", "3",
                "AGENTLEDGER_CHAIN_MAX_SPANS", "100",
                "AGENTLEDGER_COSTS_MAX_CELLS", "500",
                "AGENTLEDGER_MAX_PRICE_OVERRIDES", "9"));
    assertThat(c.collector().maxInFlightBytes()).isEqualTo(32L << 20);
    assertThat(c.collector().maxDecompressedBytes()).isEqualTo(20L << 20);
    assertThat(c.receiverLimits().bodyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.receiverLimits().perProject().ratePerSecond()).isEqualTo(7);
    assertThat(c.receiverLimits().perProject().burst()).isEqualTo(14);
    assertThat(c.apiLimits().perProject().maxConcurrent()).isEqualTo(3);
    assertThat(c.apiLimits().maxChainSpans()).isEqualTo(100);
    assertThat(c.apiLimits().maxCostCells()).isEqualTo(500);
    assertThat(c.apiLimits().maxPriceOverrides()).isEqualTo(9);

    assertThatThrownBy(
            () ->
                StandaloneConfig.from(
                    Map.of(
                        "AGENTLEDGER_OTLP_PROJECT_IN_FLIGHT_PERCENT", "0",
                        "AGENTLEDGER_CHAIN_MAX_SPANS", "0")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2));
  }

  @Test
  void everyProblem_isReportedAtOnce_withoutEchoingSecrets() {
    assertThatThrownBy(
            () ->
                StandaloneConfig.from(
                    Map.of(
                        "AGENTLEDGER_OTLP_PORT", "70000",
                        "AGENTLEDGER_STORE", "postgres",
                        "AGENTLEDGER_CLICKHOUSE_PASSWORD", "")))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              assertThat(((ConfigException) e).problems()).hasSize(2);
              assertThat(e.getMessage())
                  .contains("AGENTLEDGER_OTLP_PORT")
                  .contains("AGENTLEDGER_STORE")
                  .contains("duckdb");
            });
  }

  @Test
  void malformedApiKeys_areAConfigurationError_thatNeverShowsTheKey() {
    assertThatThrownBy(() -> StandaloneConfig.from(Map.of("AGENTLEDGER_API_KEYS", "acme:tiny")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AGENTLEDGER_API_KEYS")
        .hasMessageNotContaining("tiny");
  }

  @Test
  void aKeyGivenToTwoProjects_isListedWithTheOtherProblems() {
    assertThatThrownBy(
            () ->
                StandaloneConfig.from(
                    Map.of(
                        "AGENTLEDGER_API_KEYS",
                        "alpha:shared-key-0123456789,beta:shared-key-0123456789",
                        "AGENTLEDGER_OTLP_PORT",
                        "70000")))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              assertThat(((ConfigException) e).problems())
                  .hasSize(2)
                  .anySatisfy(p -> assertThat(p).contains("AGENTLEDGER_OTLP_PORT"))
                  .anySatisfy(
                      p ->
                          assertThat(p)
                              .startsWith("AGENTLEDGER_API_KEYS=****")
                              .contains("entry 2 (beta) has the same key as entry 1 (alpha)"));
              assertThat(e.getMessage()).doesNotContain("shared-key");
            });
  }

  @Test
  void externalKafka_credentialsBecomeClientProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "ssl.truststore.location=/etc/kafka/truststore.p12\n");
    StandaloneConfig c =
        StandaloneConfig.from(
            Map.of(
                "AGENTLEDGER_KAFKA_BOOTSTRAP", "kafka-1:9093",
                "AGENTLEDGER_KAFKA_SASL_USERNAME", "collector",
                "AGENTLEDGER_KAFKA_SASL_PASSWORD", "pa\"ss",
                "AGENTLEDGER_KAFKA_CLIENT_PROPERTIES", file.toString()));
    assertThat(c.kafkaClient())
        .containsEntry("bootstrap.servers", "kafka-1:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"collector\" password=\"pa\\\"ss\";");
    assertThat(c.toString()).doesNotContain("pa\"ss");
    assertThat(StandaloneConfig.from(Map.of()).kafkaClient()).isEmpty();
  }

  @Test
  void externalKafka_settingsAreCheckedTogether() {
    assertThatThrownBy(
            () ->
                StandaloneConfig.from(
                    Map.of(
                        "AGENTLEDGER_KAFKA_SASL_MECHANISM", "GSSAPI",
                        "AGENTLEDGER_KAFKA_CLIENT_PROPERTIES", "/nonexistent/client.properties")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2));
    assertThatThrownBy(
            () ->
                StandaloneConfig.from(Map.of("AGENTLEDGER_KAFKA_SASL_PASSWORD", "secret-password")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be set together")
        .hasMessageNotContaining("secret-password");
  }

  @Test
  void clickHouse_needsItsUrl() {
    assertThatThrownBy(() -> StandaloneConfig.from(Map.of("AGENTLEDGER_STORE", "clickhouse")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AGENTLEDGER_CLICKHOUSE_URL");
  }

  @Test
  void toString_neverContainsKeysOrPasswords() {
    StandaloneConfig c =
        StandaloneConfig.from(
            Map.of(
                "AGENTLEDGER_API_KEYS", "acme:secret-key-0123456789",
                "AGENTLEDGER_CLICKHOUSE_PASSWORD", "hunter2hunter2"));
    assertThat(c.toString()).doesNotContain("secret-key").doesNotContain("hunter2");
  }

  @Test
  void crossFieldProblems_comeWithTheInvalidValues_inOneError() {
    assertThatThrownBy(
            () ->
                StandaloneConfig.from(
                    Map.of(
                        "AGENTLEDGER_API_KEYS", "acme:tiny",
                        "AGENTLEDGER_STORE", "clickhouse",
                        "AGENTLEDGER_OTLP_PORT", "9000",
                        "AGENTLEDGER_API_PORT", "9000",
                        "AGENTLEDGER_KAFKA_PORT", "9000",
                        "AGENTLEDGER_CONSUMERS", "8")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_API_KEYS=**** (environment): entry 1 (acme): key shorter"
                            + " than 16 characters",
                        "AGENTLEDGER_CLICKHOUSE_URL is required when AGENTLEDGER_STORE=clickhouse",
                        "AGENTLEDGER_OTLP_PORT and AGENTLEDGER_API_PORT are both 9000: use two"
                            + " ports",
                        "AGENTLEDGER_KAFKA_PORT and AGENTLEDGER_OTLP_PORT are both 9000: use two"
                            + " ports",
                        "AGENTLEDGER_CONSUMERS=8 exceeds AGENTLEDGER_SPAN_PARTITIONS=4: the extra"
                            + " consumers would sit idle"));
  }

  @Test
  void theEmbeddedBrokersPort_mayRepeatAnotherWhenKafkaIsExternal_andZeroNeverClashes() {
    StandaloneConfig c =
        StandaloneConfig.from(
            Map.of(
                "AGENTLEDGER_KAFKA_BOOTSTRAP", "kafka:9092",
                "AGENTLEDGER_KAFKA_PORT", "4318",
                "AGENTLEDGER_OTLP_PORT", "0",
                "AGENTLEDGER_API_PORT", "0"));
    assertThat(c.kafkaBootstrap()).contains("kafka:9092");
  }

  @Test
  void theCollectorsKnobs_areReadWithTheRest() {
    StandaloneConfig c =
        StandaloneConfig.from(
            Map.of(
                "AGENTLEDGER_SPANS_TOPIC", "acme.spans",
                "AGENTLEDGER_BATCH_SPANS", "500",
                "AGENTLEDGER_MAX_BODY_BYTES", "1MiB"));
    assertThat(c.collector().spansTopic()).isEqualTo("acme.spans");
    assertThat(c.collector().batchSpans()).isEqualTo(500);
    assertThat(c.collector().maxBodyBytes()).isEqualTo(1L << 20);
  }

  @Test
  void help_listsEverySetting_ofTheProcessAndTheCollector() {
    String help = StandaloneConfig.describe();
    StandaloneConfig.SETTINGS
        .declared()
        .forEach(s -> assertThat(help).contains(s.name()).contains(s.doc()));
    assertThat(help)
        .contains("AGENTLEDGER_DLQ_TOPIC")
        .contains("AGENTLEDGER_STORE_RETRY_BACKOFF_MAX");
  }

  /** The README's Configuration table is the declared one, row for row. */
  @Test
  void theReadmeTable_isTheDeclaredTable() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(readme).contains(StandaloneConfig.SETTINGS.markdownRows());
    Matcher rows = Pattern.compile("(?m)^\\| `(AGENTLEDGER_[A-Z_]+)`").matcher(readme);
    java.util.Set<String> listed = new java.util.TreeSet<>();
    while (rows.find()) {
      listed.add(rows.group(1));
    }
    java.util.Set<String> declared =
        StandaloneConfig.SETTINGS.declared().stream()
            .map(io.agentledger.core.config.Setting::name)
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    declared.add("AGENTLEDGER_CONFIG_FILE"); // read by Settings itself
    declared.add("AGENTLEDGER_JAVA_OPTS"); // read by the launcher script
    assertThat(listed).isEqualTo(declared);
  }
}
