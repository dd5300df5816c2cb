package io.agentledger.collector.ingest;

import io.agentledger.collector.CollectorConfig;
import io.agentledger.collector.CollectorMetrics;
import io.agentledger.collector.Topics;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanWriter;
import io.agentledger.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the span topic: decode, normalize, price, batch, write through the store, and
 * commit offsets only after the write succeeded. A crash between write and commit replays records
 * whose spans the store already has; the store's idempotency makes that harmless.
 *
 * <p>Data errors are never retried: a record that cannot be decoded, or whose spans the store
 * refuses for good (a {@link StoreException} that is not retryable), goes to the dead-letter topic
 * with the reason, and only that record: a refused batch is written again record by record to find
 * it. Transient errors are retried a bounded number of times with back-off; then the batch is given
 * up uncommitted and read again from Kafka on the next poll, so the consumer keeps polling (and
 * keeps its partitions) while the store is down, and {@link #problem()} says why.
 */
final class SpanConsumer implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SpanConsumer.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final SpanNormalizer normalizer;
  private final SpanWriter store;
  private final CollectorConfig config;
  private final CollectorMetrics metrics;
  private final Predicate<String> knownProject;

  /** Store-write attempts of one batch before it is given up and read again from Kafka. */
  static final int MAX_WRITE_ATTEMPTS = 5;

  /** A record's spans, kept apart so a refused batch can be split to find the bad record. */
  private record PendingRecord(ConsumerRecord<byte[], byte[]> record, List<AgentSpan> spans) {}

  private final List<PendingRecord> pending = new ArrayList<>();
  private int pendingSpans;
  private volatile @Nullable String problem; // null when all is well
  private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
  private final Map<TopicPartition, Long> firstPending = new HashMap<>();
  private final List<Future<RecordMetadata>> pendingDeadLetters = new ArrayList<>();
  private long pendingSince;
  private volatile boolean running = true;
  private volatile boolean halted;

  SpanConsumer(
      KafkaConsumer<byte[], byte[]> consumer,
      KafkaProducer<byte[], byte[]> deadLetters,
      SpanNormalizer normalizer,
      SpanWriter store,
      CollectorConfig config,
      CollectorMetrics metrics,
      Predicate<String> knownProject) {
    this.knownProject = knownProject;
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.normalizer = normalizer;
    this.store = store;
    this.config = config;
    this.metrics = metrics;
  }

  /** Finish the current batch (write and commit), then stop. */
  void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Stop at once, dropping the current batch without writing or committing it (crash tests). */
  void halt() {
    halted = true;
    stop();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(
          List.of(config.spansTopic()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              if (!halted) {
                flush();
              }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
              // Another consumer owns them now and will replay from the last commit.
              clearPending();
            }
          });
      while (running) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(config.pollTimeout());
        } catch (WakeupException e) {
          break;
        }
        Set<TopicPartition> rewound = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (!rewound.contains(tp) && !process(record)) {
            rewound.add(tp); // read again from this record after a back-off
          }
        }
        if (!rewound.isEmpty()) {
          backOff(config.retryBackoff().toMillis());
        }
        boolean full = pendingSpans >= config.batchSpans();
        boolean lingered =
            !pendingOffsets.isEmpty()
                && System.nanoTime() - pendingSince >= config.batchLinger().toNanos();
        if (full || lingered || (records.isEmpty() && !pendingOffsets.isEmpty())) {
          flush();
        }
      }
      if (!halted) {
        flush();
      }
    } catch (RuntimeException e) {
      LOG.error("span consumer stopped: {}", e.toString(), e);
    } finally {
      try {
        consumer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer: {}", e.toString());
      }
    }
  }

  /**
   * Normalizes one record into the pending batch, or dead-letters it when it cannot be read.
   * Returns false when a transient error (the project's price overrides could not be read) stopped
   * it: the partition is rewound to this record, which is read again later, never dead-lettered.
   */
  private boolean process(ConsumerRecord<byte[], byte[]> record) {
    String project = header(record, Topics.PROJECT_HEADER);
    String unattributed = checkProject(project);
    if (unattributed != null) {
      markPending(record);
      deadLetter(record, unattributed);
      return true;
    }
    Objects.requireNonNull(project); // checkProject refuses a record without the header
    NormalizedBatch batch;
    try {
      batch = normalizer.normalize(OtlpTraceDecoder.decodeProtobuf(record.value()), project);
    } catch (StoreException e) {
      if (!e.retryable()) {
        markPending(record);
        deadLetter(record, String.valueOf(e.getMessage()));
        return true;
      }
      consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
      trouble("normalizing record " + source(record), e);
      return false;
    } catch (RuntimeException e) { // undecodable: keep it, with the reason, and move on
      markPending(record);
      deadLetter(record, String.valueOf(e.getMessage()));
      return true;
    }
    markPending(record);
    pending.add(new PendingRecord(record, batch.spans()));
    pendingSpans += batch.spans().size();
    if (batch.rejectedSpans() > 0) {
      metrics.rejected("invalid_span", batch.rejectedSpans());
      LOG.warn(
          "record {}: {} invalid spans skipped: {}",
          source(record),
          batch.rejectedSpans(),
          batch.message());
    }
    return true;
  }

  private void markPending(ConsumerRecord<byte[], byte[]> record) {
    if (pendingOffsets.isEmpty()) {
      pendingSince = System.nanoTime();
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    firstPending.putIfAbsent(tp, record.offset());
    pendingOffsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
  }

  /**
   * Why the record's spans cannot be given to a project, or null when they can. The header is the
   * only source: a resource attribute inside the spans is chosen by whoever made them, so it must
   * not decide whose spans they are (docs/security.md, "Kafka").
   */
  private @Nullable String checkProject(@Nullable String project) {
    if (project == null) {
      return "missing record header "
          + Topics.PROJECT_HEADER
          + ": every record must name its project (see docs/ingestion.md)";
    }
    if (!ApiKeys.PROJECT_NAME.matcher(project).matches()) {
      return "record header " + Topics.PROJECT_HEADER + " is not a valid project name";
    }
    if (!knownProject.test(project)) {
      metrics.unknownProject();
      return "project '"
          + project
          + "' (record header "
          + Topics.PROJECT_HEADER
          + ") has no API key here, so nobody could read its spans: check the exporter's"
          + " project (AGENTLEDGER_PROJECT, KafkaSpanExporter.Builder.project)";
    }
    return null;
  }

  private static String source(ConsumerRecord<byte[], byte[]> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
    String source = source(record);
    LOG.warn("record {} sent to {}: {}", source, config.deadLetterTopic(), reason);
    ProducerRecord<byte[], byte[]> out =
        new ProducerRecord<>(config.deadLetterTopic(), record.key(), record.value());
    for (Header h : record.headers()) {
      out.headers().add(h);
    }
    out.headers().add(Topics.ERROR_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    out.headers().add(Topics.SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
    pendingDeadLetters.add(deadLetters.send(out));
    metrics.deadLetter();
  }

  /**
   * Writes the batch, then commits its offsets. A batch the store refuses for good is written again
   * record by record, and the records it still refuses are dead-lettered; a batch that keeps
   * failing transiently is given up uncommitted and read again.
   */
  private void flush() {
    if (pendingOffsets.isEmpty()) {
      return;
    }
    if (!pending.isEmpty()) {
      List<AgentSpan> all = new ArrayList<>(pendingSpans);
      pending.forEach(p -> all.addAll(p.spans()));
      StoreException refused;
      try {
        refused = writeWithRetry(all);
      } catch (TransientFailure e) {
        rewind();
        return;
      }
      if (refused != null && !isolate()) {
        rewind();
        return;
      }
    }
    awaitDeadLetters();
    consumer.commitSync(pendingOffsets);
    clearPending();
    problem = null;
  }

  /**
   * Writes each pending record on its own and dead-letters those the store refuses for good.
   * Returns false when a transient failure stopped it (the whole batch is then read again; the
   * records already written are duplicates the store skips).
   */
  private boolean isolate() {
    for (PendingRecord p : pending) {
      if (p.spans().isEmpty()) {
        continue;
      }
      StoreException refused;
      try {
        refused = writeWithRetry(p.spans());
      } catch (TransientFailure e) {
        return false;
      }
      if (refused != null) {
        metrics.storeRefused(p.spans().size());
        deadLetter(p.record(), String.valueOf(refused.getMessage()));
      }
    }
    return true;
  }

  private void awaitDeadLetters() {
    try {
      for (Future<RecordMetadata> ack : pendingDeadLetters) {
        ack.get();
      }
    } catch (ExecutionException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Not committing: the records come back after a restart and go to the DLQ again.
      throw new IllegalStateException(
          "dead-letter topic did not acknowledge: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the spans; retries a retryable failure at most {@link #MAX_WRITE_ATTEMPTS} times with
   * back-off. Returns null when written, the exception when the store refused them for good.
   *
   * @throws TransientFailure when every attempt failed transiently (or we are stopping)
   */
  private @Nullable StoreException writeWithRetry(List<AgentSpan> spans) {
    long backoffMillis = config.retryBackoff().toMillis();
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      try {
        int fresh = store.append(spans);
        metrics.stored(spans.size(), fresh, System.nanoTime() - start);
        return null;
      } catch (StoreException e) {
        if (!e.retryable()) {
          LOG.warn("store refused {} spans: {}", spans.size(), e.getMessage());
          return e;
        }
        metrics.storeRetry();
        trouble("store write of " + spans.size() + " spans (attempt " + attempt + ")", e);
        if (attempt >= MAX_WRITE_ATTEMPTS || halted || !running) {
          throw new TransientFailure();
        }
        if (!backOff(backoffMillis)) {
          throw new TransientFailure();
        }
        backoffMillis = Math.min(backoffMillis * 2, config.retryBackoffMax().toMillis());
      }
    }
  }

  /** Gives the pending batch up uncommitted: each partition is read again from its first record. */
  private void rewind() {
    firstPending.forEach(
        (tp, offset) -> {
          try {
            consumer.seek(tp, offset);
          } catch (IllegalStateException e) { // no longer ours: its new owner reads it
            LOG.debug("partition {} not assigned any more", tp);
          }
        });
    // Records already dead-lettered are read and dead-lettered again: the DLQ is at-least-once.
    clearPending();
  }

  private void trouble(String what, StoreException e) {
    String message = what + " failed transiently: " + e.getMessage();
    if (!message.equals(problem)) {
      LOG.warn("{}; retrying", message);
    }
    problem = message;
  }

  /** What keeps this consumer from writing, while it retries; null when all is well. */
  @Nullable String problem() {
    return problem;
  }

  /** Waits between retries (not timing); false when interrupted. */
  private static boolean backOff(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void clearPending() {
    pending.clear();
    pendingSpans = 0;
    pendingOffsets.clear();
    firstPending.clear();
    pendingDeadLetters.clear();
  }

  /** Every attempt at a write failed transiently; the batch is read again. */
  private static final class TransientFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransientFailure() {
      super(null, null, false, false);
    }
  }

  private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
