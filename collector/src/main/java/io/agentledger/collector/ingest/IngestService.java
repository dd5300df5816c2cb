package io.agentledger.collector.ingest;

import io.agentledger.collector.CollectorConfig;
import io.agentledger.collector.CollectorMetrics;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.store.SpanWriter;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The consumer group that moves spans from Kafka into the store. */
public final class IngestService implements AutoCloseable {

  private final List<SpanConsumer> consumers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final ConsumerLagMonitor lagMonitor;

  /**
   * Starts {@code config.consumers()} consumer threads.
   *
   * @param kafkaClient client properties: {@code bootstrap.servers} and any security settings
   * @param catalogs the price catalog for each project
   */
  public IngestService(
      Map<String, String> kafkaClient,
      SpanWriter store,
      Function<String, PriceCatalog> catalogs,
      CollectorConfig config,
      CollectorMetrics metrics) {
    this(kafkaClient, store, catalogs, project -> ToolPrices.NONE, config, metrics);
  }

  /**
   * Starts {@code config.consumers()} consumer threads.
   *
   * @param kafkaClient client properties: {@code bootstrap.servers} and any security settings
   * @param catalogs the price catalog for each project
   * @param toolPrices the tool and sandbox prices of each project
   */
  public IngestService(
      Map<String, String> kafkaClient,
      SpanWriter store,
      Function<String, PriceCatalog> catalogs,
      Function<String, ToolPrices> toolPrices,
      CollectorConfig config,
      CollectorMetrics metrics) {
    Properties producer = new Properties();
    producer.putAll(kafkaClient);
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20);
    producer.put(ProducerConfig.CLIENT_ID_CONFIG, "agentledger-dlq");
    deadLetters =
        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
    SpanNormalizer normalizer = new SpanNormalizer(new CostCalculator(catalogs, toolPrices));
    for (int i = 0; i < config.consumers(); i++) {
      Properties p = new Properties();
      p.putAll(kafkaClient);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
      p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
      p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentledger-collector-" + i);
      SpanConsumer c =
          new SpanConsumer(
              new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
              deadLetters,
              normalizer,
              store,
              config,
              metrics);
      consumers.add(c);
      Thread t = new Thread(c, "span-consumer-" + i);
      threads.add(t);
    }
    lagMonitor = new ConsumerLagMonitor(kafkaClient, config.spansTopic(), config.consumerGroup());
    Gauge.builder("agentledger.consumer.lag", this, IngestService::lag)
        .description("Records in the span topic not yet written to the store")
        .register(metrics.registry());
    threads.forEach(Thread::start);
  }

  /**
   * Records in the span topic not yet written to the store and committed (Kafka's own view,
   * refreshed every second), so a consumer stuck on a slow store still shows a growing lag.
   */
  public long lag() {
    return lagMonitor.lag();
  }

  /**
   * What keeps ingestion from working, for {@code /health}: a stopped consumer thread, or a
   * consumer retrying a transient failure (the store or the price overrides unreadable); empty when
   * all is well.
   */
  public Optional<String> problem() {
    if (!running()) {
      return Optional.of("a Kafka consumer thread has stopped");
    }
    return consumers.stream().map(SpanConsumer::problem).filter(Objects::nonNull).findFirst();
  }

  /** Whether every consumer thread is still running. */
  public boolean running() {
    return threads.stream().allMatch(Thread::isAlive);
  }

  /** Writes and commits what each consumer holds, then stops them (waits at most the timeout). */
  public void close(Duration timeout) {
    consumers.forEach(SpanConsumer::stop);
    join(timeout);
    lagMonitor.close();
    deadLetters.close(Duration.ofSeconds(5));
  }

  /** Stops at once without writing or committing pending batches: a crash, for tests. */
  public void halt() {
    consumers.forEach(SpanConsumer::halt);
    join(Duration.ofSeconds(30));
    lagMonitor.close();
    deadLetters.close(Duration.ZERO);
  }

  private void join(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
