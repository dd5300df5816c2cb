package io.agentledger.collector.ingest;

import io.agentledger.collector.CollectorConfig;
import io.agentledger.collector.CollectorMetrics;
import io.agentledger.collector.CollectorMetrics.DeadLetterReason;
import io.agentledger.collector.Topics;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.log.ThrottledLog;
import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanWriter;
import io.agentledger.store.StoreException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
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
 * <p>The failure model (docs/ingestion.md, "Faults"):
 *
 * <ul>
 *   <li>Only a record that can never be used goes to the dead-letter topic: one without a valid
 *       project header, one that cannot be decoded, one the normalizer fails on, one whose spans
 *       the store refuses for good (a {@link StoreException} that is not retryable: a refused batch
 *       is written again record by record to find it).
 *   <li>A transient failure (a retryable {@link StoreException}: the store, or the project's price
 *       overrides, unreadable; the dead-letter topic not acknowledging) pauses every partition and
 *       keeps the batch; the consumer keeps polling, so it stays in its group however long the
 *       outage lasts, and tries again after a back-off that doubles up to {@link
 *       CollectorConfig#retryBackoffMax()}. {@link #problem()} says why meanwhile.
 *   <li>Anything else is a bug or a broken Kafka client: it ends {@link #run()} by throwing, and
 *       {@link IngestService} starts a fresh consumer after a back-off.
 * </ul>
 *
 * <p>{@link #stop()} is bounded: the loop never waits longer than a poll, and the last write is
 * tried once.
 */
final class SpanConsumer implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SpanConsumer.class);

  /** Longest a commit or the dead-letter topic's acknowledgement is waited for. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  /** How long a probe must meet neither records nor failures before the trouble counts as over. */
  static final Duration PROBE_QUIET = Duration.ofSeconds(1);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> deadLetters;
  private final SpanNormalizer normalizer;
  private final SpanWriter store;
  private final CollectorConfig config;
  private final CollectorMetrics metrics;
  private final IngestCounters counters;
  private final Predicate<String> knownProject;

  /** A record's spans, kept apart so a refused batch can be split to find the bad record. */
  private record PendingRecord(ConsumerRecord<byte[], byte[]> record, List<AgentSpan> spans) {}

  private final List<PendingRecord> pending = new ArrayList<>();
  private int pendingSpans;
  private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
  private final Map<TopicPartition, Long> firstPending = new HashMap<>();
  private final List<Future<RecordMetadata>> pendingDeadLetters = new ArrayList<>();
  private long pendingSince;

  /** When the next attempt is due while retrying (System.nanoTime()); 0 when not retrying. */
  private volatile long retryAt; // read by the health and metrics threads

  private long backoffMillis;
  private long troubleSince;
  private boolean probing; // resumed after a retry was due; the next batch confirms recovery
  private long probingSince;
  private final ThrottledLog warnings = new ThrottledLog(LOG, Duration.ofSeconds(30));
  private volatile @Nullable String problem; // null when all is well
  private volatile boolean running = true;
  private volatile boolean halted;

  SpanConsumer(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> deadLetters,
      SpanNormalizer normalizer,
      SpanWriter store,
      CollectorConfig config,
      CollectorMetrics metrics,
      IngestCounters counters,
      Predicate<String> knownProject) {
    this.knownProject = knownProject;
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.normalizer = normalizer;
    this.store = store;
    this.config = config;
    this.metrics = metrics;
    this.counters = counters;
    this.backoffMillis = config.retryBackoff().toMillis();
  }

  /** Finish the current batch (one write and commit, not retried), then stop. */
  void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Stop at once, dropping the current batch without writing or committing it (crash tests). */
  void halt() {
    halted = true;
    stop();
  }

  /** Whether a transient failure holds the partitions paused. */
  boolean retrying() {
    return retryAt != 0;
  }

  /** What keeps this consumer from writing, while it retries; null when all is well. */
  @Nullable String problem() {
    return problem;
  }

  /**
   * Polls until stopped. Throws on a failure that is neither a data error nor transient, after
   * closing the consumer; the caller starts a new one.
   */
  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(config.spansTopic()), new Rebalance());
      while (running) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(config.pollTimeout());
        } catch (WakeupException e) {
          break;
        }
        processAll(records);
        if (probing
            && records.isEmpty()
            && pendingOffsets.isEmpty()
            && System.nanoTime() - probingSince > PROBE_QUIET.toNanos()) {
          leaveRetry(); // resumed, and nothing has failed since
        }
        if (retrying()) {
          if (System.nanoTime() - retryAt >= 0) {
            flush();
          }
          continue;
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
        flush(); // one attempt: whatever is not committed is read again by the next consumer
      }
    } finally {
      try {
        consumer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer: {}", e.toString());
      }
    }
  }

  /**
   * Normalizes a poll's records into the pending batch. A transient failure stops it: the partition
   * of the record that failed, and of every record after it, is rewound to its first unprocessed
   * record, read again once the retry is due.
   */
  private void processAll(ConsumerRecords<byte[], byte[]> records) {
    Set<TopicPartition> rewound = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      if (rewound.contains(tp)) {
        continue;
      }
      if (!rewound.isEmpty() || !process(record)) {
        consumer.seek(tp, record.offset());
        rewound.add(tp);
      }
    }
  }

  /**
   * Normalizes one record into the pending batch, or dead-letters it when it can never be used.
   * Returns false when a transient error (the project's price overrides could not be read) stopped
   * it: the record is read again later, never dead-lettered.
   */
  private boolean process(ConsumerRecord<byte[], byte[]> record) {
    String project = header(record, Topics.PROJECT_HEADER);
    if (project == null) {
      return deadLetterRecord(
          record,
          DeadLetterReason.NO_PROJECT,
          "missing record header "
              + Topics.PROJECT_HEADER
              + ": every record must name its project (see docs/ingestion.md)");
    }
    // The header is the only source: a resource attribute inside the spans is chosen by whoever
    // made them, so it must not decide whose spans they are (docs/security.md, "Kafka").
    if (!ApiKeys.PROJECT_NAME.matcher(project).matches()) {
      return deadLetterRecord(
          record,
          DeadLetterReason.INVALID_PROJECT,
          "record header " + Topics.PROJECT_HEADER + " is not a valid project name");
    }
    if (!knownProject.test(project)) {
      metrics.unknownProject();
      return deadLetterRecord(
          record,
          DeadLetterReason.UNKNOWN_PROJECT,
          "project '"
              + project
              + "' (record header "
              + Topics.PROJECT_HEADER
              + ") has no API key here, so nobody could read its spans: check the exporter's"
              + " project (AGENTLEDGER_PROJECT, KafkaSpanExporter.Builder.project)");
    }
    ExportTraceServiceRequest request;
    try {
      request = OtlpTraceDecoder.decodeProtobuf(record.value());
    } catch (RuntimeException e) {
      return deadLetterRecord(record, DeadLetterReason.UNDECODABLE, String.valueOf(e.getMessage()));
    }
    NormalizedBatch batch;
    try {
      batch = normalizer.normalize(request, project);
    } catch (RuntimeException e) {
      StoreException store = storeCause(e);
      if (store != null && store.retryable()) {
        enterRetry("reading the price overrides for record " + source(record), store);
        return false;
      }
      // A store error that is not retryable never reaches here (ProjectCatalogs falls back to the
      // bundled prices); anything else is a record the normalizer cannot handle.
      LOG.error("record {}: normalization failed", source(record), e);
      return deadLetterRecord(record, DeadLetterReason.NORMALIZATION, "normalization failed: " + e);
    }
    markPending(record);
    counters.read(batch.spans().size());
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

  private boolean deadLetterRecord(
      ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String detail) {
    markPending(record);
    deadLetter(record, reason, detail);
    return true;
  }

  private static @Nullable StoreException storeCause(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof StoreException se) {
        return se;
      }
    }
    return null;
  }

  private void markPending(ConsumerRecord<byte[], byte[]> record) {
    if (pendingOffsets.isEmpty()) {
      pendingSince = System.nanoTime();
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    firstPending.putIfAbsent(tp, record.offset());
    pendingOffsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
  }

  private static String source(ConsumerRecord<byte[], byte[]> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private void deadLetter(
      ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String detail) {
    String source = source(record);
    LOG.warn("record {} sent to {}: {}", source, config.deadLetterTopic(), detail);
    ProducerRecord<byte[], byte[]> out =
        new ProducerRecord<>(config.deadLetterTopic(), record.key(), record.value());
    for (Header h : record.headers()) {
      out.headers().add(h);
    }
    out.headers().add(Topics.ERROR_HEADER, detail.getBytes(StandardCharsets.UTF_8));
    out.headers().add(Topics.SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
    pendingDeadLetters.add(deadLetters.send(out));
    metrics.deadLetter(reason);
  }

  /**
   * Writes the pending records, then commits their offsets. Records the store refuses for good are
   * dead-lettered (a refused batch is written again record by record to find them). On a transient
   * failure the records not yet written stay pending and the partitions are paused until the retry
   * is due.
   */
  private void flush() {
    if (pendingOffsets.isEmpty()) {
      if (retrying()) {
        probe();
      }
      return;
    }
    if (!writePending()) {
      return;
    }
    if (!awaitDeadLetters()) {
      return;
    }
    commit();
    clearPending();
    leaveRetry();
  }

  /** True once every pending record is written or dead-lettered; false when retrying. */
  private boolean writePending() {
    if (pending.isEmpty()) {
      return true;
    }
    List<AgentSpan> all = new ArrayList<>(pendingSpans);
    pending.forEach(p -> all.addAll(p.spans()));
    StoreException failed = write(all);
    if (failed == null) {
      long now = System.currentTimeMillis();
      for (PendingRecord p : pending) {
        if (!p.spans().isEmpty()) {
          metrics.fresh(p.record().timestamp(), now);
        }
      }
      pending.clear();
      pendingSpans = 0;
      return true;
    }
    if (failed.retryable()) {
      enterRetry("store write of " + all.size() + " spans", failed);
      return false;
    }
    LOG.warn(
        "store refused {} spans: {}; writing record by record", all.size(), failed.getMessage());
    for (Iterator<PendingRecord> it = pending.iterator(); it.hasNext(); ) {
      PendingRecord p = it.next();
      StoreException refused = p.spans().isEmpty() ? null : write(p.spans());
      if (refused != null && refused.retryable()) {
        // The records written so far are gone from the batch; the rest is tried again.
        enterRetry("store write of " + p.spans().size() + " spans", refused);
        return false;
      }
      if (refused == null && !p.spans().isEmpty()) {
        metrics.fresh(p.record().timestamp(), System.currentTimeMillis());
      }
      if (refused != null) {
        metrics.storeRefused(p.spans().size());
        deadLetter(
            p.record(), DeadLetterReason.STORE_REFUSED, String.valueOf(refused.getMessage()));
      }
      pendingSpans -= p.spans().size();
      it.remove();
    }
    return true;
  }

  /** Null when written; the failure otherwise (a store error, classified by the store). */
  private @Nullable StoreException write(List<AgentSpan> spans) {
    long start = System.nanoTime();
    try {
      int fresh = store.append(spans);
      metrics.stored(spans.size(), fresh, System.nanoTime() - start);
      counters.written(spans.size());
      return null;
    } catch (StoreException e) {
      metrics.storeFailure(e.retryable());
      return e;
    }
  }

  /**
   * Waits (bounded) for the dead-letter topic to acknowledge. When it does not, the batch is given
   * up and read again after a back-off: its spans are already written (replays are skipped) and its
   * refused records are dead-lettered again (the dead-letter topic is at-least-once).
   */
  private boolean awaitDeadLetters() {
    long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
    try {
      for (Future<RecordMetadata> ack : pendingDeadLetters) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      rewind();
      enterRetry(
          "the dead-letter topic " + config.deadLetterTopic() + " did not acknowledge",
          new StoreException(String.valueOf(e.getMessage()), true, e));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rewind();
      running = false;
      return false;
    }
  }

  /**
   * Commits the batch's offsets. Its spans are written, so a failed commit costs only a replay that
   * the store skips: we lost the partitions (another consumer replays from the last commit) or
   * Kafka is unreachable (a later commit covers these offsets).
   */
  private void commit() {
    try {
      consumer.commitSync(pendingOffsets, KAFKA_TIMEOUT);
    } catch (WakeupException e) {
      LOG.debug("commit interrupted by stop; the batch will be replayed and skipped");
    } catch (KafkaException e) { // CommitFailed, RebalanceInProgress, Timeout...
      metrics.commitFailure();
      LOG.warn(
          "commit of written spans failed ({}); they may be replayed and skipped", e.toString());
    }
  }

  /** Gives the pending batch up uncommitted: each partition is read again from its first record. */
  private void rewind() {
    Set<TopicPartition> assigned = consumer.assignment();
    firstPending.forEach(
        (tp, offset) -> {
          if (assigned.contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
    clearPending();
  }

  private void enterRetry(String what, StoreException e) {
    long now = System.nanoTime();
    if (problem == null) {
      troubleSince = now;
    } else {
      backoffMillis = Math.min(backoffMillis * 2, config.retryBackoffMax().toMillis());
    }
    metrics.storeRetry();
    long seconds = TimeUnit.NANOSECONDS.toSeconds(now - troubleSince);
    String message = what + " failed transiently for " + seconds + " s: " + e.getMessage();
    warnings.warn("transient", message + "; partitions paused, retrying");
    problem = message;
    probing = false;
    retryAt = now + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
    if (retryAt == 0) {
      retryAt = 1;
    }
    consumer.pause(consumer.assignment());
  }

  /**
   * The retry is due and nothing is pending (the failure was reading a record, or its batch was
   * given up): resume, and let the next record or batch tell whether the trouble is over.
   */
  private void probe() {
    retryAt = 0;
    probing = true;
    probingSince = System.nanoTime();
    consumer.resume(consumer.paused());
  }

  /** A batch was written and committed (or a probe met no failure for a while): all is well. */
  private void leaveRetry() {
    if (problem != null) {
      LOG.info(
          "recovered after {} s of transient failures; resuming",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - troubleSince));
    }
    retryAt = 0;
    probing = false;
    backoffMillis = config.retryBackoff().toMillis();
    problem = null;
    consumer.resume(consumer.paused());
  }

  private void clearPending() {
    pending.clear();
    pendingSpans = 0;
    pendingOffsets.clear();
    firstPending.clear();
    pendingDeadLetters.clear();
  }

  private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Keeps the batch consistent with the partitions this consumer owns. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (halted || pendingOffsets.isEmpty()) {
        return;
      }
      if (!retrying()) {
        flush(); // one attempt, as on stop: the rebalance must not wait for a store outage
      }
      if (!pendingOffsets.isEmpty()) {
        rewind(); // kept partitions are read again; revoked ones by their next owner
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (retrying()) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another consumer owns them now and replays from the last commit.
      if (!pendingOffsets.isEmpty()) {
        rewind();
      }
    }
  }
}
