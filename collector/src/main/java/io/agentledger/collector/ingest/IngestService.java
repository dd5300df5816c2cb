package io.agentledger.collector.ingest;

import io.agentledger.collector.Backlog;
import io.agentledger.collector.CollectorConfig;
import io.agentledger.collector.CollectorMetrics;
import io.agentledger.collector.CollectorMetrics.ConsumerState;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group that moves spans from Kafka into the store: {@code config.consumers()} daemon
 * threads, each running one {@link SpanConsumer} at a time and starting a fresh one (new Kafka
 * consumer, reading again from the last commit) after a back-off when it fails.
 */
public final class IngestService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  /** How long a replacement consumer must run without failing before health is clean again. */
  static final Duration RECOVERY = Duration.ofSeconds(30);

  /** How long Kafka may not answer before health says so. */
  static final Duration KAFKA_QUIET = Duration.ofSeconds(15);

  private final Map<String, String> kafkaClient;
  private final SpanWriter store;
  private final SpanNormalizer normalizer;
  private final CollectorConfig config;
  private final CollectorMetrics metrics;
  private final IngestCounters counters = new IngestCounters();
  private final List<Worker> workers = new ArrayList<>();
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final ConsumerLagMonitor lagMonitor;
  private final DrainRate drain = new DrainRate();
  private final Predicate<String> knownProject;

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
    this(kafkaClient, store, catalogs, toolPrices, config, metrics, project -> true);
  }

  /**
   * Starts {@code config.consumers()} consumer threads that store spans only under a known project:
   * a record naming another project (a typo in the exporter's project) is dead-lettered with the
   * reason and counted ({@code agentledger.records.unknown_project}), since no API key could ever
   * read what was stored under it.
   *
   * @param kafkaClient client properties: {@code bootstrap.servers} and any security settings
   * @param catalogs the price catalog for each project
   * @param toolPrices the tool and sandbox prices of each project
   * @param knownProject whether a project has an API key on this deployment
   */
  public IngestService(
      Map<String, String> kafkaClient,
      SpanWriter store,
      Function<String, PriceCatalog> catalogs,
      Function<String, ToolPrices> toolPrices,
      CollectorConfig config,
      CollectorMetrics metrics,
      Predicate<String> knownProject) {
    this.knownProject = knownProject;
    this.kafkaClient = Map.copyOf(kafkaClient);
    this.store = store;
    this.config = config;
    this.metrics = metrics;
    Properties producer = new Properties();
    producer.putAll(kafkaClient);
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20);
    producer.put(ProducerConfig.CLIENT_ID_CONFIG, "agentledger-dlq");
    deadLetters =
        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
    normalizer = new SpanNormalizer(new CostCalculator(catalogs, toolPrices));
    for (int i = 0; i < config.consumers(); i++) {
      workers.add(new Worker(i));
    }
    lagMonitor =
        new ConsumerLagMonitor(
            kafkaClient,
            config.spansTopic(),
            config.consumerGroup(),
            lag -> drain.sample(counters.spansWritten(), System.nanoTime(), lag > 0));
    Gauge.builder("agentledger.consumer.lag", this, IngestService::lag)
        .description("Records in the span topic not yet written to the store")
        .register(metrics.registry());
    Gauge.builder("agentledger.consumer.lag.spans", this, s -> s.backlog().spans())
        .description("Spans in the span topic not yet written to the store (estimated)")
        .register(metrics.registry());
    metrics.consumerStates(this::count);
    workers.forEach(w -> w.thread.start());
  }

  private SpanConsumer newConsumer(int index) {
    Properties p = new Properties();
    long session = config.sessionTimeout().toMillis();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(3_000, session / 3));
    p.putAll(kafkaClient); // explicit client settings win (tests shorten the group's timing there)
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentledger-collector-" + index);
    return new SpanConsumer(
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        deadLetters,
        normalizer,
        store,
        config,
        metrics,
        counters,
        knownProject);
  }

  /**
   * Records in the span topic not yet written to the store and committed (Kafka's own view,
   * refreshed every second), so a consumer stuck on a slow store still shows a growing lag.
   */
  public long lag() {
    return lagMonitor.lag();
  }

  /**
   * The backlog in spans (the record lag times the mean spans per record read) and the rate the
   * store has been taking spans at: what the receiver's admission control reads.
   */
  public Backlog backlog() {
    return new Backlog(Math.round(lag() * counters.spansPerRecord()), drain.perSecond());
  }

  /**
   * What keeps ingestion from working normally, for {@code /health}: a consumer retrying a
   * transient failure (the store or the price overrides unreadable), or a consumer that failed and
   * was replaced lately; empty when all is well.
   */
  public Optional<String> problem() {
    Optional<String> consumer =
        workers.stream().map(Worker::problem).filter(Objects::nonNull).findFirst();
    Duration unanswered = lagMonitor.unanswered();
    if (consumer.isEmpty() && unanswered.compareTo(KAFKA_QUIET) > 0) {
      return Optional.of(
          "Kafka has not answered for "
              + unanswered.toSeconds()
              + " s (the receiver answers 503 until it does)");
    }
    return consumer;
  }

  /** Whether every consumer is running (none waiting to be restarted). */
  public boolean running() {
    return workers.stream()
        .allMatch(w -> w.thread.isAlive() && w.state() != ConsumerState.RESTARTING);
  }

  private int count(ConsumerState state) {
    return (int) workers.stream().filter(w -> w.thread.isAlive() && w.state() == state).count();
  }

  /**
   * Writes and commits what each consumer holds (one attempt), then stops them, waiting at most the
   * timeout: a consumer stuck in a store call is left behind (its thread is a daemon and its batch
   * is read again from Kafka by the next start).
   */
  public void close(Duration timeout) {
    workers.forEach(Worker::stop);
    join(timeout);
    lagMonitor.close();
    deadLetters.close(Duration.ofSeconds(5));
  }

  /** Stops at once without writing or committing pending batches: a crash, for tests. */
  public void halt() {
    workers.forEach(Worker::halt);
    join(Duration.ofSeconds(30));
    lagMonitor.close();
    deadLetters.close(Duration.ZERO);
  }

  private void join(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Worker w : workers) {
      try {
        w.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (w.thread.isAlive()) {
        LOG.warn(
            "{} did not stop within {}; leaving it (its batch is replayed)", w.thread, timeout);
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /** One consumer thread: runs a consumer, and a new one when it fails. */
  private final class Worker implements Runnable {
    private final int index;
    private final Thread thread;
    private final Object sleeper = new Object();
    private volatile @Nullable SpanConsumer current;
    private volatile boolean stopping;
    private volatile boolean halting;
    private volatile boolean waiting; // between a failure and the replacement's start
    private volatile @Nullable String failure; // the last failure, until RECOVERY has passed
    private volatile long replacedAt;
    private volatile int restarts;

    Worker(int index) {
      this.index = index;
      this.thread = new Thread(this, "span-consumer-" + index);
      thread.setDaemon(true); // a store call that never returns must not keep the JVM alive
    }

    @Override
    public void run() {
      long backoffMillis = config.retryBackoff().toMillis();
      while (!stopping) {
        SpanConsumer consumer;
        try {
          consumer = newConsumer(index);
        } catch (RuntimeException e) {
          failed(e, backoffMillis);
          backoffMillis = nextBackoff(backoffMillis);
          continue;
        }
        current = consumer;
        if (stopping) { // stop() came between the check and the assignment
          if (halting) {
            consumer.halt();
          } else {
            consumer.stop();
          }
        }
        try {
          consumer.run();
          if (stopping) {
            return;
          }
          failed(new IllegalStateException("the consumer stopped by itself"), backoffMillis);
        } catch (RuntimeException | Error e) {
          if (stopping) {
            return;
          }
          failed(e, backoffMillis);
        }
        backoffMillis = nextBackoff(backoffMillis);
      }
    }

    private long nextBackoff(long millis) {
      return Math.min(millis * 2, config.retryBackoffMax().toMillis());
    }

    private void failed(Throwable e, long backoffMillis) {
      restarts++;
      metrics.consumerRestart();
      failure = "consumer " + index + " failed (" + e + "); restarted " + restarts + " times";
      LOG.error("span consumer {} failed; starting a new one in {} ms", index, backoffMillis, e);
      waiting = true;
      synchronized (sleeper) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        long left;
        while (!stopping && (left = until - System.nanoTime()) > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(sleeper, left);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            stopping = true;
          }
        }
      }
      waiting = false;
      replacedAt = System.nanoTime();
    }

    void stop() {
      stopping = true;
      SpanConsumer c = current;
      if (c != null) {
        c.stop();
      }
      synchronized (sleeper) {
        sleeper.notifyAll();
      }
    }

    void halt() {
      halting = true;
      stopping = true;
      SpanConsumer c = current;
      if (c != null) {
        c.halt();
      }
      synchronized (sleeper) {
        sleeper.notifyAll();
      }
    }

    ConsumerState state() {
      if (waiting) {
        return ConsumerState.RESTARTING;
      }
      SpanConsumer c = current;
      return c != null && c.retrying() ? ConsumerState.RETRYING : ConsumerState.RUNNING;
    }

    @Nullable String problem() {
      if (!thread.isAlive() && !stopping) {
        return "consumer " + index + " has stopped";
      }
      SpanConsumer c = current;
      String retrying = c == null ? null : c.problem();
      if (waiting || retrying == null) {
        String f = failure;
        if (f != null && (waiting || System.nanoTime() - replacedAt < RECOVERY.toNanos())) {
          return f;
        }
      }
      return retrying == null ? null : "consumer " + index + ": " + retrying;
    }
  }

  /** Spans the store took per second, sampled every second (exponentially weighted). */
  private static final class DrainRate {
    private long lastCount = -1;
    private long lastNanos;
    private volatile double perSecond;

    /** An idle store (nothing to drain) says nothing about its speed: the rate is kept. */
    synchronized void sample(long count, long nanos, boolean busy) {
      if (busy && lastCount >= 0 && nanos > lastNanos) {
        double now = (count - lastCount) * 1e9 / (nanos - lastNanos);
        perSecond = perSecond == 0 ? now : 0.5 * perSecond + 0.5 * now;
      }
      lastCount = count;
      lastNanos = nanos;
    }

    double perSecond() {
      return perSecond;
    }
  }
}
