package io.agentledger.collector;

import io.agentledger.core.config.KafkaSettings;
import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The collector's limits, batching knobs and Kafka names, declared in {@link #SETTINGS} ({@code
 * AGENTLEDGER_*} variables, listed by {@code ./agentledger help}).
 *
 * @param maxBodyBytes largest request body accepted as sent (compressed or not): 413 above
 * @param maxDecompressedBytes largest body after gzip: 413 above (zip bombs stop here); by default
 *     a sixteenth of the heap, at most 64 MiB
 * @param maxInFlightBytes request bytes held at once across all requests, as sent and inflated,
 *     reserved before they are read and kept until Kafka acknowledges: 429 above, so memory stays
 *     bounded however fast clients send; by default a quarter of the heap, at most 256 MiB
 * @param maxLagSpans spans the consumers may fall behind the topic (estimated: Kafka's record lag
 *     times the mean spans per record) before the receiver answers 429: the store's back-pressure
 *     reaching the client, which keeps export-to-queryable latency bounded (docs/ingestion.md)
 * @param ackTimeout how long a request waits for Kafka's acknowledgement before answering 503
 * @param batchSpans spans the consumer gathers before writing to the store
 * @param batchLinger longest a span waits in the consumer's batch
 * @param consumers consumer threads (each owns some partitions)
 * @param spansTopic the topic the receiver writes and the consumers read
 * @param deadLetterTopic where the consumers put records they cannot decode
 * @param spanPartitions partitions of the span topic when the collector creates it
 * @param consumerGroup the consumers' Kafka group (its committed offsets are the lag)
 * @param maxPollRecords records one poll of a consumer returns at most
 * @param pollTimeout longest one poll waits for records
 * @param retryBackoff first wait before a failed store write is retried (doubles each time)
 * @param retryBackoffMax the longest wait between store-write retries
 * @param sessionTimeout how long the consumer group waits for a consumer that stopped heartbeating
 *     (its process killed) before its partitions go to the others
 */
public record CollectorConfig(
    long maxBodyBytes,
    long maxDecompressedBytes,
    long maxInFlightBytes,
    long maxLagSpans,
    Duration ackTimeout,
    int batchSpans,
    Duration batchLinger,
    int consumers,
    String spansTopic,
    String deadLetterTopic,
    int spanPartitions,
    String consumerGroup,
    int maxPollRecords,
    Duration pollTimeout,
    Duration retryBackoff,
    Duration retryBackoffMax,
    Duration sessionTimeout) {

  private static final Duration ONE_MILLI = Duration.ofMillis(1);

  static final Setting<Long> MAX_BODY =
      Settings.bytes(
          "AGENTLEDGER_MAX_BODY_BYTES", 16L << 20, 1024, "largest OTLP request body (413 above)");
  static final Setting<Long> MAX_DECOMPRESSED =
      heapSized(
          "AGENTLEDGER_MAX_DECOMPRESSED_BYTES",
          CollectorConfig::defaultMaxDecompressedBytes,
          "largest OTLP body after gzip (413 above); never below AGENTLEDGER_MAX_BODY_BYTES;"
              + " unset: a sixteenth of the heap, 4MiB to 64MiB");
  static final Setting<Long> MAX_IN_FLIGHT =
      heapSized(
          "AGENTLEDGER_MAX_IN_FLIGHT_BYTES",
          CollectorConfig::defaultMaxInFlightBytes,
          "OTLP request bytes held at once, reserved before they are read and inflated (429"
              + " above); unset: a quarter of the heap, 16MiB to 256MiB");
  static final Setting<Integer> MAX_LAG_SPANS =
      Settings.integer(
          "AGENTLEDGER_MAX_LAG_SPANS",
          50_000,
          0,
          Integer.MAX_VALUE,
          "spans the consumers may fall behind before the receiver answers 429 (about 2 s of"
              + " work at the store's measured rate)");
  static final Setting<Duration> ACK_TIMEOUT =
      Settings.duration(
          "AGENTLEDGER_ACK_TIMEOUT",
          "10s",
          ONE_MILLI,
          "how long a request waits for Kafka's acknowledgement (503 after)");
  static final Setting<Integer> BATCH_SPANS =
      Settings.integer(
          "AGENTLEDGER_BATCH_SPANS",
          20_000,
          1,
          1_000_000,
          "spans a consumer gathers before writing to the store");
  static final Setting<Duration> BATCH_LINGER =
      Settings.duration(
          "AGENTLEDGER_BATCH_LINGER",
          "200ms",
          ONE_MILLI,
          "longest a span waits in a consumer's batch before the write");
  static final Setting<Integer> CONSUMERS =
      Settings.integer(
          "AGENTLEDGER_CONSUMERS", 2, 1, 64, "Kafka consumer threads writing to the store");
  static final Setting<String> DLQ_TOPIC =
      KafkaSettings.topic(
          "AGENTLEDGER_DLQ_TOPIC",
          "agentledger.spans.dlq",
          "Kafka topic of the records the consumers cannot decode");
  static final Setting<Integer> SPAN_PARTITIONS =
      Settings.integer(
          "AGENTLEDGER_SPAN_PARTITIONS",
          4,
          1,
          1024,
          "partitions of the span topic when it is created; at least AGENTLEDGER_CONSUMERS");
  static final Setting<String> CONSUMER_GROUP =
      Settings.matching(
          "AGENTLEDGER_CONSUMER_GROUP",
          "agentledger-collector",
          "[a-zA-Z0-9._-]{1,249}",
          "a Kafka group id ([a-zA-Z0-9._-], 1 to 249)",
          "Kafka consumer group of the consumers");
  static final Setting<Integer> MAX_POLL_RECORDS =
      Settings.integer(
          "AGENTLEDGER_MAX_POLL_RECORDS",
          2_000,
          1,
          100_000,
          "records one poll of a consumer returns at most");
  static final Setting<Duration> POLL_TIMEOUT =
      Settings.duration(
          "AGENTLEDGER_POLL_TIMEOUT",
          "100ms",
          ONE_MILLI,
          "longest a poll waits for records; at most AGENTLEDGER_BATCH_LINGER");
  static final Setting<Duration> RETRY_BACKOFF =
      Settings.duration(
          "AGENTLEDGER_STORE_RETRY_BACKOFF",
          "100ms",
          ONE_MILLI,
          "first wait before a failed store write is retried (doubles up to the maximum)");
  static final Setting<Duration> RETRY_BACKOFF_MAX =
      Settings.duration(
          "AGENTLEDGER_STORE_RETRY_BACKOFF_MAX",
          "5s",
          ONE_MILLI,
          "longest wait between store-write retries");
  static final Setting<Duration> SESSION_TIMEOUT =
      Settings.duration(
          "AGENTLEDGER_CONSUMER_SESSION_TIMEOUT",
          "45s",
          Duration.ofSeconds(6),
          "how long the Kafka group waits for a consumer that stopped heartbeating (its process"
              + " killed) before giving its partitions to the others; at least 6s, the broker's"
              + " minimum");

  /** The collector's settings and the rules across them. */
  public static final Settings SETTINGS =
      Settings.of(
          List.of(
              MAX_BODY,
              MAX_DECOMPRESSED,
              MAX_IN_FLIGHT,
              MAX_LAG_SPANS,
              ACK_TIMEOUT,
              BATCH_SPANS,
              BATCH_LINGER,
              CONSUMERS,
              KafkaSettings.SPANS_TOPIC,
              DLQ_TOPIC,
              SPAN_PARTITIONS,
              CONSUMER_GROUP,
              MAX_POLL_RECORDS,
              POLL_TIMEOUT,
              RETRY_BACKOFF,
              RETRY_BACKOFF_MAX,
              SESSION_TIMEOUT),
          List.of(
              Settings.rule(
                  v ->
                      v.get(MAX_IN_FLIGHT) < decompressedLimit(v)
                          ? Optional.of(
                              MAX_IN_FLIGHT.name()
                                  + "="
                                  + v.get(MAX_IN_FLIGHT)
                                  + " is below the largest decompressed body ("
                                  + decompressedLimit(v)
                                  + "): such a request could never be accepted")
                          : Optional.empty(),
                  MAX_IN_FLIGHT,
                  MAX_DECOMPRESSED,
                  MAX_BODY),
              Settings.rule(
                  v ->
                      v.get(CONSUMERS) > v.get(SPAN_PARTITIONS)
                          ? Optional.of(
                              CONSUMERS.name()
                                  + "="
                                  + v.get(CONSUMERS)
                                  + " exceeds "
                                  + SPAN_PARTITIONS.name()
                                  + "="
                                  + v.get(SPAN_PARTITIONS)
                                  + ": the extra consumers would sit idle")
                          : Optional.empty(),
                  CONSUMERS,
                  SPAN_PARTITIONS),
              Settings.rule(
                  v ->
                      v.get(POLL_TIMEOUT).compareTo(v.get(BATCH_LINGER)) > 0
                          ? Optional.of(
                              POLL_TIMEOUT.name()
                                  + "="
                                  + Settings.format(v.get(POLL_TIMEOUT))
                                  + " exceeds "
                                  + BATCH_LINGER.name()
                                  + "="
                                  + Settings.format(v.get(BATCH_LINGER))
                                  + ": a batch could wait longer than its linger")
                          : Optional.empty(),
                  POLL_TIMEOUT,
                  BATCH_LINGER),
              Settings.rule(
                  v ->
                      v.get(RETRY_BACKOFF).compareTo(v.get(RETRY_BACKOFF_MAX)) > 0
                          ? Optional.of(
                              RETRY_BACKOFF.name()
                                  + "="
                                  + Settings.format(v.get(RETRY_BACKOFF))
                                  + " exceeds "
                                  + RETRY_BACKOFF_MAX.name()
                                  + "="
                                  + Settings.format(v.get(RETRY_BACKOFF_MAX)))
                          : Optional.empty(),
                  RETRY_BACKOFF,
                  RETRY_BACKOFF_MAX),
              Settings.rule(
                  v ->
                      v.get(KafkaSettings.SPANS_TOPIC).equals(v.get(DLQ_TOPIC))
                          ? Optional.of(
                              DLQ_TOPIC.name()
                                  + " must differ from "
                                  + KafkaSettings.SPANS_TOPIC.name()
                                  + " (both '"
                                  + v.get(DLQ_TOPIC)
                                  + "'): undecodable records would come back forever")
                          : Optional.empty(),
                  KafkaSettings.SPANS_TOPIC,
                  DLQ_TOPIC)));

  /** Every setting at its default. */
  public static CollectorConfig defaults() {
    return from(Map.of());
  }

  /**
   * The collector's configuration from {@code AGENTLEDGER_*} variables (see {@link #SETTINGS}).
   *
   * @throws io.agentledger.core.config.ConfigException listing every invalid value at once
   */
  public static CollectorConfig from(Map<String, String> environment) {
    return from(SETTINGS.load(environment));
  }

  /** From values loaded with {@link #SETTINGS} (alone or as part of a larger table). */
  public static CollectorConfig from(Settings.Values v) {
    return new CollectorConfig(
        v.get(MAX_BODY),
        decompressedLimit(v),
        v.get(MAX_IN_FLIGHT),
        v.get(MAX_LAG_SPANS),
        v.get(ACK_TIMEOUT),
        v.get(BATCH_SPANS),
        v.get(BATCH_LINGER),
        v.get(CONSUMERS),
        v.get(KafkaSettings.SPANS_TOPIC),
        v.get(DLQ_TOPIC),
        v.get(SPAN_PARTITIONS),
        v.get(CONSUMER_GROUP),
        v.get(MAX_POLL_RECORDS),
        v.get(POLL_TIMEOUT),
        v.get(RETRY_BACKOFF),
        v.get(RETRY_BACKOFF_MAX),
        v.get(SESSION_TIMEOUT));
  }

  /** A size whose default depends on the heap: unset (shown so in the tables) means the share. */
  private static Setting<Long> heapSized(String name, LongSupplier share, String doc) {
    return new Setting<>(
        name,
        raw -> {
          if (raw.isEmpty()) {
            return share.getAsLong();
          }
          long value = Settings.parseBytes(raw);
          if (value < 1024) {
            throw new IllegalArgumentException("must be at least 1024 bytes");
          }
          return value;
        },
        "",
        false,
        doc);
  }

  /** A sixteenth of the heap ({@code -Xmx}), between 4 MiB and 64 MiB. */
  public static long defaultMaxDecompressedBytes() {
    return heapShare(16, 4L << 20, 64L << 20);
  }

  /** A quarter of the heap ({@code -Xmx}), between 16 MiB and 256 MiB. */
  public static long defaultMaxInFlightBytes() {
    return heapShare(4, 16L << 20, 256L << 20);
  }

  private static long heapShare(int divisor, long min, long max) {
    long heap = Runtime.getRuntime().maxMemory();
    long share = heap == Long.MAX_VALUE ? max : heap / divisor;
    return Math.max(min, Math.min(max, share));
  }

  /** A gzip body may always expand to the largest plain body (how it has been since 0.1). */
  private static long decompressedLimit(Settings.Values v) {
    return Math.max(v.get(MAX_DECOMPRESSED), v.get(MAX_BODY));
  }
}
