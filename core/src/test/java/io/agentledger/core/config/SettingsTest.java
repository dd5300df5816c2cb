package io.agentledger.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  static final Setting<Duration> FIRST =
      Settings.duration("AGENTLEDGER_TEST_FIRST", "1s", Duration.ofMillis(1), "first");
  static final Setting<Duration> LAST =
      Settings.duration("AGENTLEDGER_TEST_LAST", "5s", Duration.ofMillis(1), "last");
  static final Setting<String> TOPIC =
      Settings.matching(
          "AGENTLEDGER_TEST_TOPIC", "spans", "[a-z.]+", "lower-case letters and dots", "topic");
  static final Settings.Rule FIRST_NOT_AFTER_LAST =
      Settings.rule(
          v ->
              v.get(FIRST).compareTo(v.get(LAST)) > 0
                  ? Optional.of("AGENTLEDGER_TEST_FIRST must not exceed AGENTLEDGER_TEST_LAST")
                  : Optional.empty(),
          FIRST,
          LAST);
  static final Settings TIMES =
      Settings.of(List.of(FIRST, LAST, TOPIC), List.of(FIRST_NOT_AFTER_LAST));

  @Test
  void aBrokenRule_isReportedTogetherWithTheInvalidValues() {
    assertThatThrownBy(
            () ->
                TIMES.load(
                    Map.of(
                        "AGENTLEDGER_TEST_FIRST", "10s",
                        "AGENTLEDGER_TEST_TOPIC", "Spans/OTLP")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_TEST_TOPIC='Spans/OTLP' (environment): expected lower-case"
                            + " letters and dots",
                        "AGENTLEDGER_TEST_FIRST must not exceed AGENTLEDGER_TEST_LAST"));
  }

  @Test
  void anUnreadableConfigFile_isReportedWithTheOtherProblems(@TempDir Path dir) {
    Path missing = dir.resolve("missing.properties");
    assertThatThrownBy(
            () ->
                TIMES.load(
                    Map.of(
                        Settings.CONFIG_FILE_VARIABLE,
                        missing.toString(),
                        "AGENTLEDGER_TEST_LAST",
                        "soon")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .satisfies(
                        p ->
                            assertThat(p.get(0))
                                .startsWith("AGENTLEDGER_CONFIG_FILE=" + missing + ": cannot read"))
                    .satisfies(
                        p ->
                            assertThat(p.get(1))
                                .isEqualTo(
                                    "AGENTLEDGER_TEST_LAST='soon' (environment): not a duration"
                                        + " (use 500ms, 5s, 2m, 1h, 7d)")));
  }

  @Test
  void aRuleOverAnInvalidValue_isSkipped_soTheValueIsReportedOnce() {
    assertThatThrownBy(() -> TIMES.load(Map.of("AGENTLEDGER_TEST_FIRST", "0ms")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_TEST_FIRST='0ms' (environment): must be at least 1ms"));
  }

  @Test
  void consistentValues_passTheRules() {
    Settings.Values v = TIMES.load(Map.of("AGENTLEDGER_TEST_FIRST", "5s"));
    assertThat(v.get(FIRST)).isEqualTo(Duration.ofSeconds(5));
    assertThat(v.get(TOPIC)).isEqualTo("spans");
  }

  @Test
  void joinedTables_keepBothSetsOfRules_andRefuseADuplicateName() {
    Settings joined = ALL.and(TIMES);
    assertThat(joined.declared()).hasSize(7);
    assertThatThrownBy(
            () ->
                joined.load(
                    Map.of(
                        "AGENTLEDGER_TEST_KEY", "k",
                        "AGENTLEDGER_TEST_PORT", "0",
                        "AGENTLEDGER_TEST_LAST", "10ms")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_TEST_PORT='0' (environment): must be between 1 and 65535",
                        "AGENTLEDGER_TEST_FIRST must not exceed AGENTLEDGER_TEST_LAST"));
    assertThatThrownBy(() -> ALL.and(Settings.of(List.of(PORT))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENTLEDGER_TEST_PORT is declared twice");
  }

  @Test
  void markdownRows_showDefaultsAndMeanings() {
    assertThat(Settings.of(List.of(PORT, KEY, TOPIC)).markdownRows())
        .isEqualTo(
            "| `AGENTLEDGER_TEST_PORT` | `4318` | port |\n"
                + "| `AGENTLEDGER_TEST_KEY` | (required) | a key |\n"
                + "| `AGENTLEDGER_TEST_TOPIC` | `spans` | topic |\n");
  }

  @Test
  void durations_areFormattedAsTheyAreWritten() {
    assertThat(Settings.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Settings.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Settings.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Settings.format(Duration.ofHours(3))).isEqualTo("3h");
    assertThat(Settings.format(Duration.ZERO)).isEqualTo("0s");
  }
}
