package io.agentledger.instrumentation;

import io.agentledger.core.config.KafkaClientSettings;
import io.agentledger.core.config.KafkaSettings;
import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The {@code AGENTLEDGER_*} variables {@link AgentLedger#fromEnvironment()} reads; the
 * OpenTelemetry part ({@code OTEL_*}) is OpenTelemetry's own autoconfiguration.
 */
final class LedgerEnvironment {

  /** Where the spans go. */
  enum Exporter {
    OTLP,
    KAFKA
  }

  static final Setting<Exporter> EXPORTER =
      Settings.oneOf(
          "AGENTLEDGER_EXPORTER",
          Exporter.class,
          Exporter.OTLP,
          "otlp (to OTEL_EXPORTER_OTLP_*) or kafka (straight to the collector's topic)");
  static final Setting<String> API_KEY =
      Settings.secret(
          "AGENTLEDGER_API_KEY", "", "sent as Authorization: Bearer <key> with OTLP exports");
  static final Setting<String> KAFKA_BOOTSTRAP =
      Settings.string(
          "AGENTLEDGER_KAFKA_BOOTSTRAP", "", "Kafka cluster, required for the kafka exporter");
  static final Setting<String> PROJECT =
      Settings.string(
          "AGENTLEDGER_PROJECT",
          "default",
          "project of the spans the kafka exporter sends (over OTLP the key decides)");
  static final Setting<Optional<BigDecimal>> BUDGET_USD =
      new Setting<>(
          "AGENTLEDGER_BUDGET_USD",
          LedgerEnvironment::positiveAmount,
          "",
          false,
          "a budget per chain in US dollars (unset: no budget)");
  static final Setting<String> API_URL =
      Settings.string(
          "AGENTLEDGER_API_URL",
          "",
          "query API (http://host:8080): the project's prices, overrides included, are read from"
              + " its /api/v1/prices with AGENTLEDGER_API_KEY at start, for ModelCall.costUsd() and"
              + " the budget (unset: the bundled catalog)");
  static final Setting<Boolean> CAPTURE_CONTENT =
      Settings.bool(
          "AGENTLEDGER_CAPTURE_CONTENT",
          false,
          "true records prompts, completions, tool arguments and results");

  static final Settings SETTINGS =
      Settings.of(
              List.of(
                  EXPORTER,
                  API_KEY,
                  KAFKA_BOOTSTRAP,
                  PROJECT,
                  KafkaSettings.SPANS_TOPIC,
                  BUDGET_USD,
                  API_URL,
                  CAPTURE_CONTENT),
              List.of(
                  Settings.rule(
                      v ->
                          v.get(EXPORTER) == Exporter.KAFKA && v.get(KAFKA_BOOTSTRAP).isBlank()
                              ? Optional.of(
                                  KAFKA_BOOTSTRAP.name()
                                      + " is required when "
                                      + EXPORTER.name()
                                      + "=kafka")
                              : Optional.empty(),
                      EXPORTER,
                      KAFKA_BOOTSTRAP)))
          .and(KafkaClientSettings.SETTINGS); // the Kafka exporter's credentials

  private LedgerEnvironment() {}

  private static Optional<BigDecimal> positiveAmount(String raw) {
    if (raw.isBlank()) {
      return Optional.empty();
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an amount (use 0.50)");
    }
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("must be more than 0");
    }
    return Optional.of(amount);
  }
}
