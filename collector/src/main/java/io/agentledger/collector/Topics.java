package io.agentledger.collector;

/** The Kafka topics and headers of the span pipeline (see API.md, "Ingestion"). */
public final class Topics {

  /** OTLP {@code ExportTraceServiceRequest} protobufs, key = trace id (hex). */
  public static final String SPANS = "agentledger.spans.otlp";

  /** Records the consumer could not decode, with headers saying why. */
  public static final String DEAD_LETTERS = "agentledger.spans.dlq";

  /** Record header naming the project of the spans in a record. */
  public static final String PROJECT_HEADER = "agentledger.project";

  /** Dead-letter headers. */
  public static final String ERROR_HEADER = "agentledger.error";

  public static final String SOURCE_HEADER = "agentledger.source";

  private Topics() {}
}
