package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
