package io.agentledger.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  static final Setting<Integer> PORT =
      Settings.integer("AGENTLEDGER_TEST_PORT", 4318, 1, 65535, "port");
  static final Setting<Duration> WAIT = Settings.duration("AGENTLEDGER_TEST_WAIT", "5s", "wait");
  static final Setting<Long> SIZE = Settings.bytes("AGENTLEDGER_TEST_SIZE", 1024, 1, "size");
  static final Setting<String> KEY = Settings.secret("AGENTLEDGER_TEST_KEY", null, "a key");
  static final Settings ALL = Settings.of(List.of(PORT, WAIT, SIZE, KEY));

  @Test
  void environmentWins_thenDefaults() {
    Settings.Values v =
        ALL.load(
            Map.of(
                "AGENTLEDGER_TEST_PORT",
                "9000",
                "AGENTLEDGER_TEST_SIZE",
                "16MiB",
                "AGENTLEDGER_TEST_KEY",
                "s3cret"));

    assertThat(v.get(PORT)).isEqualTo(9000);
    assertThat(v.get(WAIT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(v.get(SIZE)).isEqualTo(16L * 1024 * 1024);
    assertThat(v.masked()).containsEntry("AGENTLEDGER_TEST_KEY", "****");
  }

  @Test
  void everyProblemIsReportedAtOnce_withoutSecrets() {
    assertThatThrownBy(
            () ->
                ALL.load(Map.of("AGENTLEDGER_TEST_PORT", "70000", "AGENTLEDGER_TEST_WAIT", "soon")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(3)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("AGENTLEDGER_TEST_PORT")
                                .contains("between 1 and 65535"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("AGENTLEDGER_TEST_WAIT")
                                .contains("not a duration"))
                    .anySatisfy(p -> assertThat(p).contains("AGENTLEDGER_TEST_KEY is required")));
  }

  @Test
  void propertiesFile_isReadAfterTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agentledger.properties");
    Files.writeString(file, "AGENTLEDGER_TEST_PORT=7000\nAGENTLEDGER_TEST_KEY=k\n");

    Settings.Values v =
        ALL.load(
            Map.of(Settings.CONFIG_FILE_VARIABLE, file.toString(), "AGENTLEDGER_TEST_KEY", "env"));

    assertThat(v.get(PORT)).isEqualTo(7000);
    assertThat(v.get(KEY)).isEqualTo("env");
  }
}
