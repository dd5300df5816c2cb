package io.agentledger.instrumentation;

import io.agentledger.core.config.KafkaSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SpanExporter} that writes spans to AgentLedger's Kafka topic ({@code
 * agentledger.spans.otlp}) as OTLP {@code ExportTraceServiceRequest} protobufs — one record per
 * trace, keyed by trace id, with the project in the {@code agentledger.project} header — exactly
 * what the collector consumes.
 *
 * <p>It never makes the agent wait: {@link #export} only queues the records (a bounded queue) and
 * returns; a background thread hands them to Kafka. When the queue is full — Kafka unreachable or
 * slower than the agent — spans are dropped and counted ({@link #droppedSpans()}), never buffered
 * without limit. {@link #shutdown()} sends what is queued within a deadline.
 */
public final class KafkaSpanExporter implements SpanExporter {

  /**
   * The collector's default topic ({@code AGENTLEDGER_SPANS_TOPIC} changes it on both ends; see
   * {@link Builder#topic}).
   */
  public static final String TOPIC = KafkaSettings.DEFAULT_SPANS_TOPIC;

  /** The record header naming the project (see API.md, "Ingestion"). */
  public static final String PROJECT_HEADER = KafkaSettings.PROJECT_HEADER;

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSpanExporter.class);

  /** One trace's record and how many spans it holds. */
  private record Pending(ProducerRecord<byte[], byte[]> record, int spans) {}

  /**
   * Records to send, or a marker: {@code flushed} completes once everything queued before it has
   * been acknowledged (or dropped).
   */
  private record Batch(List<Pending> records, int spans, @Nullable CompletableResultCode flushed) {}

  private static final Batch STOP = new Batch(List.of(), 0, null);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final byte[] project;
  private final Duration shutdownTimeout;
  private final BlockingQueue<Batch> queue;
  private final AtomicLong queuedSpans = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final Thread sender;
  private final String bootstrapServers;
  private final Outage outage;
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private final AtomicBoolean unknownServiceWarned = new AtomicBoolean();
  private final List<AutoCloseable> instruments = new CopyOnWriteArrayList<>();

  private KafkaSpanExporter(Builder b) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    // The sender thread, not the agent, waits for metadata; keep that wait short so a dead cluster
    // turns into counted drops quickly.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, b.bufferBytes);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "agentledger-span-exporter");
    p.putAll(b.overrides);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = b.topic;
    this.bootstrapServers = b.bootstrapServers;
    this.outage = new Outage("Kafka at " + b.bootstrapServers, dropped);
    this.project = b.project.getBytes(StandardCharsets.UTF_8);
    this.shutdownTimeout = b.shutdownTimeout;
    this.queue = new ArrayBlockingQueue<>(b.maxQueuedBatches);
    this.sender = new Thread(this::sendLoop, "agentledger-kafka-span-exporter");
    this.sender.setDaemon(true);
    this.sender.start();
    if (b.meterProvider != null) {
      observe(b.meterProvider);
    }
  }

  /**
   * Reports the exporter's counts as OpenTelemetry metrics: {@code agentledger.exporter.spans.sent}
   * and {@code agentledger.exporter.spans.dropped} (counters) and {@code
   * agentledger.exporter.spans.pending} (a gauge), each with {@code exporter=kafka}. Read when the
   * meter provider collects; removed at {@link #shutdown}.
   */
  void observe(MeterProvider meterProvider) {
    try {
      Meter meter = meterProvider.get("io.agentledger.instrumentation");
      Attributes kafka = Attributes.of(AttributeKey.stringKey("exporter"), "kafka");
      instruments.add(
          meter
              .counterBuilder("agentledger.exporter.spans.sent")
              .setDescription("spans acknowledged by Kafka")
              .setUnit("{span}")
              .buildWithCallback(m -> m.record(sent.get(), kafka)));
      instruments.add(
          meter
              .counterBuilder("agentledger.exporter.spans.dropped")
              .setDescription("spans dropped: queue full, Kafka unreachable, or after shutdown")
              .setUnit("{span}")
              .buildWithCallback(m -> m.record(dropped.get(), kafka)));
      instruments.add(
          meter
              .gaugeBuilder("agentledger.exporter.spans.pending")
              .ofLongs()
              .setDescription("spans queued or in flight to Kafka")
              .setUnit("{span}")
              .buildWithCallback(m -> m.record(pendingSpans(), kafka)));
    } catch (RuntimeException e) {
      Misuse.failed("registering the Kafka exporter's metrics", e);
    }
  }

  /**
   * An exporter to the Kafka cluster at {@code bootstrapServers}.
   *
   * @param bootstrapServers the Kafka bootstrap servers, {@code host:port,...}
   * @return a builder
   */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (shutDown.get()) {
      dropped.addAndGet(spans.size());
      return CompletableResultCode.ofFailure();
    }
    warnOnceWithoutService(spans);
    Map<String, List<SpanData>> byTrace = new LinkedHashMap<>();
    for (SpanData s : spans) {
      byTrace.computeIfAbsent(s.getTraceId(), t -> new ArrayList<>()).add(s);
    }
    List<Pending> records = new ArrayList<>(byTrace.size());
    for (Map.Entry<String, List<SpanData>> e : byTrace.entrySet()) {
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>(
              topic, e.getKey().getBytes(StandardCharsets.UTF_8), marshal(e.getValue()));
      r.headers().add(PROJECT_HEADER, project);
      records.add(new Pending(r, e.getValue().size()));
    }
    if (!queue.offer(new Batch(records, spans.size(), null))) {
      outage.failed(spans.size(), "the export queue is full (Kafka is slower than the agent)");
      // Success to the SDK: the drop is counted here, and the SDK retrying would only block.
      return CompletableResultCode.ofSuccess();
    }
    queuedSpans.addAndGet(spans.size());
    return CompletableResultCode.ofSuccess();
  }

  private static byte[] marshal(List<SpanData> spans) {
    return OtlpSpanEncoder.request(spans).toByteArray();
  }

  @SuppressWarnings("ReferenceEquality") // STOP is the one sentinel instance, not a value
  private void sendLoop() {
    while (true) {
      Batch batch;
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == STOP) {
        return;
      }
      if (batch.flushed() != null) {
        flushProducer(batch.flushed());
        continue;
      }
      queuedSpans.addAndGet(-batch.spans());
      for (Pending p : batch.records()) {
        int n = p.spans();
        inFlight.addAndGet(n);
        try {
          // The callback handles the outcome; the future adds nothing.
          Future<?> unused =
              producer.send(
                  p.record(),
                  (metadata, error) -> {
                    inFlight.addAndGet(-n);
                    if (error == null) {
                      sent.addAndGet(n);
                      outage.succeeded();
                    } else {
                      outage.failed(n, error.toString());
                    }
                  });
        } catch (RuntimeException e) { // metadata not available within max.block.ms
          inFlight.addAndGet(-n);
          outage.failed(n, e.toString());
        }
      }
    }
  }

  /**
   * Spans Kafka has acknowledged.
   *
   * @return the count since the exporter was built
   */
  public long sentSpans() {
    return sent.get();
  }

  /**
   * Spans dropped: queue full, Kafka unreachable past its timeouts, or exported after shutdown. The
   * first drop of an outage is logged (a warning naming the cluster and the reason), and the end of
   * the outage too, with the spans it cost.
   *
   * @return the count since the exporter was built
   */
  public long droppedSpans() {
    return dropped.get();
  }

  /**
   * Spans queued or in flight to Kafka.
   *
   * @return the count now
   */
  public long pendingSpans() {
    return queuedSpans.get() + inFlight.get();
  }

  /**
   * Completes once every span exported before it has been acknowledged by Kafka or dropped: a
   * marker goes through the queue behind them, and the sender thread completes it after the
   * producer has flushed. Fails when spans are still pending at the shutdown timeout.
   */
  @Override
  public CompletableResultCode flush() {
    if (shutDown.get()) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode flushed = new CompletableResultCode();
    try {
      if (!queue.offer(
          new Batch(List.of(), 0, flushed), shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return CompletableResultCode.ofFailure();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableResultCode.ofFailure();
    }
    return flushed;
  }

  private void flushProducer(CompletableResultCode flushed) {
    try {
      producer.flush(); // returns after every send's callback has run
      flushed.succeed();
    } catch (RuntimeException e) {
      flushed.fail();
    }
  }

  /** Sends what is queued and closes, within the builder's shutdown timeout; once. */
  @Override
  public CompletableResultCode shutdown() {
    if (!shutDown.compareAndSet(false, true)) {
      return CompletableResultCode.ofSuccess();
    }
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    try {
      if (queue.offer(STOP, shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
    for (AutoCloseable instrument : instruments) {
      try {
        instrument.close();
      } catch (Exception e) {
        LOG.debug("closing a metric instrument failed", e);
      }
    }
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    long left = queuedSpans.getAndSet(0) + inFlight.getAndSet(0);
    dropped.addAndGet(left);
    // Flushes queued behind the stop will never be served.
    for (Batch b : queue) {
      if (b.flushed() != null) {
        b.flushed().fail();
      }
    }
    return left == 0 ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
  }

  /**
   * Spans without a service name reach AgentLedger as {@code unknown_service:java}: a tracer
   * provider built without a resource. Said once, since every chain would be filed under it.
   */
  private void warnOnceWithoutService(Collection<SpanData> spans) {
    if (spans.isEmpty() || unknownServiceWarned.get()) {
      return;
    }
    String service =
        spans.iterator().next().getResource().getAttribute(AttributeKey.stringKey("service.name"));
    if ((service == null || service.startsWith("unknown_service"))
        && unknownServiceWarned.compareAndSet(false, true)) {
      LOG.warn(
          "AgentLedger: spans sent to Kafka at {} have no service name ({}): set OTEL_SERVICE_NAME"
              + " and build the tracer provider with a resource, e.g."
              + " .setResource(ResourceConfiguration.createEnvironmentResource()), or use"
              + " AgentLedger.fromEnvironment() with AGENTLEDGER_EXPORTER=kafka",
          bootstrapServers,
          service);
    }
  }

  /** Settings of a {@link KafkaSpanExporter}. */
  public static final class Builder {
    private final String bootstrapServers;
    private String topic = TOPIC;
    private String project = "default";
    private int maxQueuedBatches = 1_024;
    private long bufferBytes = 32L << 20;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private final Map<String, Object> overrides = new LinkedHashMap<>();
    private @Nullable MeterProvider meterProvider;

    private Builder(String bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    }

    /**
     * The project the spans belong to (the collector reads the record header).
     *
     * @param project the project
     * @return this builder
     */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project);
      return this;
    }

    /**
     * The topic to send to (default the collector's span topic).
     *
     * @param topic the topic
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic);
      return this;
    }

    /**
     * Export batches waiting for Kafka before spans are dropped (default 1,024).
     *
     * @param batches the queue bound
     * @return this builder
     */
    public Builder maxQueuedBatches(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException("maxQueuedBatches must be positive");
      }
      this.maxQueuedBatches = batches;
      return this;
    }

    /**
     * How long {@link #shutdown} may take to send what is queued (default 10 s).
     *
     * @param timeout the shutdown deadline
     * @return this builder
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * A Kafka producer setting (security, SASL, ...).
     *
     * @param key the producer setting's name
     * @param value its value
     * @return this builder
     */
    public Builder producerConfig(String key, Object value) {
      overrides.put(key, value);
      return this;
    }

    /**
     * Reports the exporter's counts (spans sent, dropped, pending) as OpenTelemetry metrics of this
     * meter provider. {@link AgentLedger#fromEnvironment()} uses the autoconfigured SDK's, so
     * {@code OTEL_METRICS_EXPORTER} decides where they go.
     *
     * @param meterProvider the meter provider, e.g. {@code openTelemetry.getMeterProvider()}
     * @return this builder
     */
    public Builder meterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider);
      return this;
    }

    /**
     * Builds the exporter and its Kafka producer.
     *
     * @return the exporter
     */
    public KafkaSpanExporter build() {
      return new KafkaSpanExporter(this);
    }
  }
}
