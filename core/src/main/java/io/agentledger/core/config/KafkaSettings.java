package io.agentledger.core.config;

/**
 * Settings both ends of the span topic share: the instrumentation's Kafka exporter writes where the
 * collector reads, so the name and its default are declared once.
 */
public final class KafkaSettings {

  /** Kafka's own rule for topic names. */
  private static final String TOPIC_NAME = "[a-zA-Z0-9._-]{1,249}";

  /** OTLP {@code ExportTraceServiceRequest} protobufs, key = trace id (API.md, "Ingestion"). */
  public static final Setting<String> SPANS_TOPIC =
      topic(
          "AGENTLEDGER_SPANS_TOPIC",
          "agentledger.spans.otlp",
          "Kafka topic of the spans (OTLP protobuf records keyed by trace id)");

  /** Record header naming the project of the spans in a record. */
  public static final String PROJECT_HEADER = "agentledger.project";

  private KafkaSettings() {}

  /** A Kafka topic name: letters, digits, {@code .}, {@code _}, {@code -}; at most 249. */
  public static Setting<String> topic(String name, String defaultValue, String doc) {
    return Settings.matching(
        name, defaultValue, TOPIC_NAME, "a Kafka topic name ([a-zA-Z0-9._-], 1 to 249)", doc);
  }
}
