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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
 */
final class SpanConsumer implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SpanConsumer.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final SpanNormalizer normalizer;
  private final SpanWriter store;
  private final CollectorConfig config;
  private final CollectorMetrics metrics;

  private final List<AgentSpan> pending = new ArrayList<>();
  private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
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
      CollectorMetrics metrics) {
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
        for (ConsumerRecord<byte[], byte[]> record : records) {
          process(record);
        }
        boolean full = pending.size() >= config.batchSpans();
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

  private void process(ConsumerRecord<byte[], byte[]> record) {
    if (pendingOffsets.isEmpty()) {
      pendingSince = System.nanoTime();
    }
    pendingOffsets.put(
        new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1));
    String project = header(record, Topics.PROJECT_HEADER);
    String unattributed = checkProject(project);
    if (unattributed != null) {
      deadLetter(record, unattributed);
      return;
    }
    Objects.requireNonNull(project); // checkProject refuses a record without the header
    try {
      NormalizedBatch batch =
          normalizer.normalize(OtlpTraceDecoder.decodeProtobuf(record.value()), project);
      pending.addAll(batch.spans());
      if (batch.rejectedSpans() > 0) {
        metrics.rejected("invalid_span", batch.rejectedSpans());
        LOG.warn(
            "record {}-{}@{}: {} invalid spans skipped: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            batch.rejectedSpans(),
            batch.message());
      }
    } catch (RuntimeException e) { // undecodable: keep it, with the reason, and move on
      deadLetter(record, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Why the record's spans cannot be given to a project, or null when they can. The header is the
   * only source: a resource attribute inside the spans is chosen by whoever made them, so it must
   * not decide whose spans they are (docs/security.md, "Kafka").
   */
  private static @Nullable String checkProject(@Nullable String project) {
    if (project == null) {
      return "missing record header "
          + Topics.PROJECT_HEADER
          + ": every record must name its project (see docs/ingestion.md)";
    }
    if (!ApiKeys.PROJECT_NAME.matcher(project).matches()) {
      return "record header " + Topics.PROJECT_HEADER + " is not a valid project name";
    }
    return null;
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
    String source = record.topic() + "-" + record.partition() + "@" + record.offset();
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

  /** Writes the batch, then commits its offsets. Retries the store until it succeeds or we stop. */
  private void flush() {
    if (pendingOffsets.isEmpty()) {
      return;
    }
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
    if (!pending.isEmpty() && !writeWithRetry()) {
      return;
    }
    consumer.commitSync(pendingOffsets);
    clearPending();
  }

  private boolean writeWithRetry() {
    long backoffMillis = config.retryBackoff().toMillis();
    while (true) {
      long start = System.nanoTime();
      try {
        int fresh = store.append(pending);
        metrics.stored(pending.size(), fresh, System.nanoTime() - start);
        return true;
      } catch (StoreException e) {
        if (!e.retryable() || halted) {
          throw e;
        }
        LOG.warn(
            "store write of {} spans failed, retrying in {} ms: {}",
            pending.size(),
            backoffMillis,
            e.getMessage());
        try {
          Thread.sleep(backoffMillis); // back-off between retries, not timing
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
        backoffMillis = Math.min(backoffMillis * 2, config.retryBackoffMax().toMillis());
      }
    }
  }

  private void clearPending() {
    pending.clear();
    pendingOffsets.clear();
    pendingDeadLetters.clear();
  }

  private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
