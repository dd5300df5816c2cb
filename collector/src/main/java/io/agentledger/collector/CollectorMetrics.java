package io.agentledger.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The collector's meters, named {@code agentledger.*} (Prometheus: {@code agentledger_*}). */
public final class CollectorMetrics {

  private final MeterRegistry registry;
  private final Counter received;
  private final Counter accepted;

  /**
   * Why spans are rejected: the closed set of {@code reason} labels, registered at start so a
   * dashboard or alert reading {@code rate()} sees zeros rather than no series.
   */
  static final List<String> REJECT_REASONS =
      List.of("invalid_span", "too_large", "backpressure", "kafka");

  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> responses = new ConcurrentHashMap<>();
  private final Map<String, Counter> records = new ConcurrentHashMap<>();
  private final Timer produceLatency;
  private final DistributionSummary batchSpans;
  private final Timer storeWrite;
  private final Counter stored;
  private final Timer freshness;
  private final Counter duplicates;
  private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
  private final Counter unknownProjects;
  private final Counter storeRetries;
  private final Counter storeRefused;
  private final Counter storeFailuresTransient;
  private final Counter storeFailuresPermanent;
  private final Counter consumerRestarts;
  private final Counter commitFailures;

  /** Why a record went to the dead-letter topic: the {@code reason} tag, a closed set. */
  public enum DeadLetterReason {
    /** No {@code agentledger.project} header. */
    NO_PROJECT,
    /** A header that is not a project name. */
    INVALID_PROJECT,
    /** A project no API key on this deployment names: nobody could read its spans. */
    UNKNOWN_PROJECT,
    /** A value that is not an OTLP {@code ExportTraceServiceRequest}. */
    UNDECODABLE,
    /** The normalizer failed on the record. */
    NORMALIZATION,
    /** The store refused its spans for good. */
    STORE_REFUSED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What a span consumer is doing: the {@code state} tag of {@code agentledger.consumers}. */
  public enum ConsumerState {
    /** Reading and writing. */
    RUNNING,
    /** Partitions paused by a transient failure, retrying with back-off. */
    RETRYING,
    /** Failed; a new consumer starts after a back-off. */
    RESTARTING;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The freshness histogram's buckets: the alert's target (30 s) is one of them. */
  private static final java.time.Duration[] FRESHNESS_BUCKETS = {
    java.time.Duration.ofMillis(250),
    java.time.Duration.ofMillis(500),
    java.time.Duration.ofSeconds(1),
    java.time.Duration.ofSeconds(2),
    java.time.Duration.ofSeconds(5),
    java.time.Duration.ofSeconds(10),
    java.time.Duration.ofSeconds(30),
    java.time.Duration.ofMinutes(1),
    java.time.Duration.ofMinutes(5),
    java.time.Duration.ofMinutes(15)
  };

  public CollectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    received = counter("agentledger.spans.received", "Spans in OTLP requests that decoded");
    accepted =
        counter("agentledger.spans.accepted", "Spans acknowledged to clients (durable in Kafka)");
    produceLatency =
        latency(
            "agentledger.kafka.produce.latency",
            "From handing a request's records to Kafka to their acknowledgement");
    batchSpans =
        DistributionSummary.builder("agentledger.store.batch.spans")
            .description("Spans per store write")
            .register(registry);
    storeWrite =
        latency("agentledger.store.write.latency", "Duration of one batch write to the store");
    stored = counter("agentledger.spans.stored", "Spans newly written to the store");
    freshness =
        Timer.builder("agentledger.spans.freshness")
            .description(
                "From a span's receipt (its Kafka record's timestamp) to its commit in the store,"
                    + " one observation per record")
            .serviceLevelObjectives(FRESHNESS_BUCKETS)
            .minimumExpectedValue(FRESHNESS_BUCKETS[0])
            .maximumExpectedValue(FRESHNESS_BUCKETS[FRESHNESS_BUCKETS.length - 1])
            .register(registry);
    duplicates =
        counter("agentledger.spans.duplicates", "Spans the store already had (replays), skipped");
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLetters.put(
          reason,
          counter(
              "agentledger.dlq.records",
              "Records sent to the dead-letter topic, by reason",
              "reason",
              reason.tag()));
    }
    unknownProjects =
        counter(
            "agentledger.records.unknown_project",
            "Kafka records naming a project without an API key here (dead-lettered, not stored)");
    storeRetries =
        counter(
            "agentledger.store.write.retries",
            "Store writes that failed transiently and were retried or given up");
    storeRefused =
        counter(
            "agentledger.spans.refused",
            "Spans the store refused for good; their records were dead-lettered");
    storeFailuresTransient =
        counter(
            "agentledger.store.write.failures",
            "Failed store writes, by kind (transient: retried; permanent: refused)",
            "kind",
            "transient");
    storeFailuresPermanent =
        counter(
            "agentledger.store.write.failures",
            "Failed store writes, by kind (transient: retried; permanent: refused)",
            "kind",
            "permanent");
    consumerRestarts =
        counter(
            "agentledger.consumer.restarts",
            "Span consumers that failed and were replaced by a new one");
    commitFailures =
        counter(
            "agentledger.kafka.commit.failures",
            "Offset commits that failed after the spans were written (replayed, then skipped)");
    REJECT_REASONS.forEach(reason -> rejected(reason, 0));
  }

  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  /** A timer with its median and 99th percentile published (what the dashboards show). */
  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentiles(0.5, 0.99)
        .register(registry);
  }

  /** Registers {@code agentledger.consumers{state}}: how many consumers are in each state. */
  public void consumerStates(java.util.function.ToIntFunction<ConsumerState> count) {
    for (ConsumerState state : ConsumerState.values()) {
      io.micrometer.core.instrument.Gauge.builder(
              "agentledger.consumers", () -> count.applyAsInt(state))
          .description("Span consumers by state")
          .tag("state", state.tag())
          .register(registry);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * A record's spans are committed to the store: how long after their receipt ({@code
   * receivedMillis}, the Kafka record's timestamp, set by the receiver's producer).
   */
  public void fresh(long receivedMillis, long storedMillis) {
    freshness.record(Math.max(0, storedMillis - receivedMillis), TimeUnit.MILLISECONDS);
  }

  public void received(long spans) {
    received.increment(spans);
  }

  public void accepted(long spans) {
    accepted.increment(spans);
  }

  /** Spans rejected, by reason: one of {@link #REJECT_REASONS}. */
  public void rejected(String reason, long spans) {
    rejected
        .computeIfAbsent(
            reason,
            r ->
                counter("agentledger.spans.rejected", "Spans not accepted, by reason", "reason", r))
        .increment(spans);
  }

  /**
   * Log records and metric data points by what became of them: {@code kept} (turned into spans) or
   * {@code dropped} (accepted, nothing in them is kept).
   */
  public void records(String signal, String outcome, long count) {
    if (count <= 0) {
      return;
    }
    records
        .computeIfAbsent(
            signal + "/" + outcome,
            k ->
                counter(
                    "agentledger.otlp.records",
                    "OTLP log records and metric points received, by what was kept",
                    "signal",
                    signal,
                    "outcome",
                    outcome))
        .increment(count);
  }

  public void response(int status) {
    responses
        .computeIfAbsent(
            status,
            s ->
                counter(
                    "agentledger.otlp.requests",
                    "OTLP/HTTP requests by response status",
                    "status",
                    Integer.toString(s)))
        .increment();
  }

  /** Request bytes the receiver holds now (reserved from its budget), and the most ever held. */
  public void inFlightBytes(
      java.util.function.LongSupplier now, java.util.function.LongSupplier peak) {
    io.micrometer.core.instrument.Gauge.builder("agentledger.otlp.inflight.bytes", now::getAsLong)
        .description("Request bytes held by the OTLP receiver, reserved before reading")
        .baseUnit("bytes")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "agentledger.otlp.inflight.peak.bytes", peak::getAsLong)
        .description("The most request bytes the OTLP receiver has held at once")
        .baseUnit("bytes")
        .register(registry);
  }

  public Timer produceLatency() {
    return produceLatency;
  }

  public void stored(int batch, int fresh, long nanos) {
    batchSpans.record(batch);
    storeWrite.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    stored.increment(fresh);
    duplicates.increment(batch - fresh);
  }

  public void deadLetter(DeadLetterReason reason) {
    java.util.Objects.requireNonNull(deadLetters.get(reason), "reason").increment();
  }

  public void storeFailure(boolean retryable) {
    (retryable ? storeFailuresTransient : storeFailuresPermanent).increment();
  }

  public void commitFailure() {
    commitFailures.increment();
  }

  public void consumerRestart() {
    consumerRestarts.increment();
  }

  public void unknownProject() {
    unknownProjects.increment();
  }

  public void storeRetry() {
    storeRetries.increment();
  }

  public void storeRefused(long spans) {
    storeRefused.increment(spans);
  }
}
