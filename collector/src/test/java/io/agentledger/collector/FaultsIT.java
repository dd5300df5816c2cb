package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.core.testing.OtlpRequests;
import io.agentledger.store.CostReport;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's failure model (docs/ingestion.md, "Faults"), each fault on the real pipeline
 * (embedded Kafka, DuckDB) and each ending with every acknowledged span stored exactly once and the
 * totals exact.
 */
class FaultsIT {

  /** The consumers are evicted from their group if they do not poll for 5 s. */
  static final Map<String, String> SHORT_POLL_INTERVAL =
      Map.of(
          ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "5000",
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");

  static final int TRACES = 5;
  static final int SPANS = 4;
  static final int SPANS_PER_REQUEST = TRACES * SPANS;

  @TempDir Path dir;

  static CollectorConfig fastRetries(Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put("AGENTLEDGER_STORE_RETRY_BACKOFF", "100ms");
    env.put("AGENTLEDGER_STORE_RETRY_BACKOFF_MAX", "1s");
    return CollectorConfig.from(env);
  }

  private Pipeline pipeline(OutageStore[] outage, CollectorConfig config) {
    return new Pipeline(
        dir,
        config,
        d ->
            io.agentledger.store.duckdb.DuckDbSpanStore.open(
                d.resolve("store.duckdb"), Clock.systemUTC()),
        writer -> outage[0] = new OutageStore(writer),
        overrides -> outage[0].overridesOf(overrides),
        SHORT_POLL_INTERVAL);
  }

  @Test
  void storeDownLongerThanMaxPollInterval_consumersStayAndCatchUp_everySpanStoredOnce()
      throws Exception {
    OutageStore[] outage = new OutageStore[1];
    try (Pipeline p = pipeline(outage, fastRetries(Map.of()))) {
      long acked = send(p, 1, 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> BackPressureIT.llmCalls(p) == acked);

      outage[0].down();
      long downAt = System.nanoTime();
      long ackedDuring = send(p, 11, 10); // Kafka takes them: the clients see 200
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> p.ingest.problem().orElse("").contains("unreachable"));
      assertThat(p.registry.get("agentledger.consumers").tag("state", "retrying").gauge().value())
          .isPositive();
      // Three times max.poll.interval.ms: a consumer that did not poll would be out of the group.
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                assertThat(BackPressureIT.llmCalls(p)).isEqualTo(acked);
                return System.nanoTime() - downAt > TimeUnit.SECONDS.toNanos(15);
              });
      assertThat(groupMembers(p)).isEqualTo(p.config.consumers());

      outage[0].up();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> BackPressureIT.llmCalls(p) == acked + ackedDuring);
      assertExactTotal(p, acked + ackedDuring);
      await().atMost(Duration.ofSeconds(30)).until(() -> p.ingest.problem().isEmpty());
      assertThat(p.registry.counter("agentledger.consumer.restarts").count()).isZero();
      assertThat(p.registry.counter("agentledger.kafka.commit.failures").count()).isZero();
      assertThat(deadLettered(p)).isZero();
      assertThat(outage[0].failedCalls.get()).isGreaterThan(3);
    }
  }

  @Test
  void priceOverridesUnreadable_recordsWaitInsteadOfBeingDeadLettered() throws Exception {
    OutageStore[] outage = new OutageStore[1];
    try (Pipeline p = pipeline(outage, fastRetries(Map.of()))) {
      outage[0].down(); // before the first record: no catalog cached for the project yet
      long acked = send(p, 1, 5);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> p.ingest.problem().orElse("").contains("price overrides"));
      outage[0].up();
      await().atMost(Duration.ofSeconds(60)).until(() -> BackPressureIT.llmCalls(p) == acked);
      assertExactTotal(p, acked);
      assertThat(deadLettered(p)).isZero();
    }
  }

  @Test
  void aConsumerThatFails_isReplacedAndShownInHealth_thenEverySpanIsStoredOnce() throws Exception {
    OutageStore[] outage = new OutageStore[1];
    try (Pipeline p = pipeline(outage, fastRetries(Map.of()))) {
      outage[0].crashes(3);
      long acked = send(p, 1, 5);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> p.ingest.problem().orElse("").contains("a bug in the store adapter"));
      await().atMost(Duration.ofSeconds(60)).until(() -> BackPressureIT.llmCalls(p) == acked);
      assertExactTotal(p, acked);
      assertThat(p.registry.counter("agentledger.consumer.restarts").count())
          .isGreaterThanOrEqualTo(1.0);
      assertThat(p.ingest.running()).isTrue();
      assertThat(deadLettered(p)).isZero();
    }
  }

  @Test
  void onePoisonRecordAmongGoodOnes_onlyItIsDeadLettered() throws Exception {
    OutageStore[] outage = new OutageStore[1];
    try (Pipeline p = pipeline(outage, fastRetries(Map.of()))) {
      byte[] poison = {0x0a, (byte) 0xff, 0x01, 0x02};
      int good = 40;
      try (KafkaProducer<byte[], byte[]> producer = producer(p)) {
        for (int i = 0; i < good; i++) {
          if (i == good / 2) {
            producer.send(record(p, "poison-key", poison)).get();
          }
          byte[] value = OtlpRequests.modelCalls(1000 + i, 1, SPANS).toByteArray();
          // Half on the poison record's partition, half spread by trace id.
          producer.send(record(p, i % 2 == 0 ? "poison-key" : "key-" + i, value)).get();
        }
      }
      long expected = (long) good * SPANS;
      await().atMost(Duration.ofSeconds(60)).until(() -> BackPressureIT.llmCalls(p) == expected);
      assertExactTotal(p, expected);
      List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters(p);
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).value()).isEqualTo(poison);
      assertThat(p.registry.counter("agentledger.dlq.records", "reason", "undecodable").count())
          .isEqualTo(1.0);
      assertThat(deadLettered(p)).isEqualTo(1.0);
    }
  }

  @Test
  void kafkaBrokerStoppedForAMinute_receiverAnswers503_thenEverySpanIsStoredOnce()
      throws Exception {
    OutageStore[] outage = new OutageStore[1];
    CollectorConfig config = fastRetries(Map.of("AGENTLEDGER_ACK_TIMEOUT", "2s"));
    try (Pipeline p = pipeline(outage, config)) {
      long acked = send(p, 1, 10);
      await().atMost(Duration.ofSeconds(60)).until(() -> BackPressureIT.llmCalls(p) == acked);

      p.broker.close();
      long downAt = System.nanoTime();
      AtomicInteger unavailable = new AtomicInteger();
      List<Integer> others = new ArrayList<>();
      // A client keeps exporting: every answer is a 503 with Retry-After, never a 200.
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                HttpResponse<byte[]> r =
                    p.postAlpha(OtlpRequests.modelCalls(100, TRACES, SPANS).toByteArray());
                if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                  unavailable.incrementAndGet();
                } else {
                  others.add(r.statusCode());
                }
                return System.nanoTime() - downAt > TimeUnit.SECONDS.toNanos(60);
              });
      assertThat(others).isEmpty();
      assertThat(unavailable.get()).isGreaterThanOrEqualTo(3); // each waits for the ack timeout
      assertThat(p.ingest.problem()).hasValueSatisfying(m -> assertThat(m).contains("Kafka"));

      p.broker.start();
      // The exporter's retry of the refused request succeeds once the broker is back; a late
      // delivery of an earlier attempt is a duplicate the store skips.
      long retried = sendOne(p, 100, Duration.ofSeconds(120));
      long after = send(p, 101, 5);
      long total = acked + retried + after;
      await().atMost(Duration.ofSeconds(90)).until(() -> BackPressureIT.llmCalls(p) == total);
      assertExactTotal(p, total);
      assertThat(p.registry.counter("agentledger.consumer.restarts").count()).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> p.ingest.problem().isEmpty());
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Sends requests {@code from..from+n-1} as an exporter does (retrying 429/503); spans acked. */
  static long send(Pipeline p, long from, int n) throws Exception {
    long acked = 0;
    for (long seq = from; seq < from + n; seq++) {
      acked += sendOne(p, seq, Duration.ofSeconds(60));
    }
    return acked;
  }

  static long sendOne(Pipeline p, long seq, Duration within) throws Exception {
    byte[] body = OtlpRequests.modelCalls(seq, TRACES, SPANS).toByteArray();
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> p.postAlpha(body).statusCode() == 200);
    return SPANS_PER_REQUEST;
  }

  static void assertExactTotal(Pipeline p, long spans) {
    CostReport.Group total = BackPressureIT.total(p);
    assertThat(total.llmCalls()).isEqualTo(spans);
    assertThat(total.costUsd())
        .isEqualByComparingTo(
            new BigDecimal(OtlpRequests.COST_PER_SPAN).multiply(BigDecimal.valueOf(spans)));
  }

  static double deadLettered(Pipeline p) {
    return p.registry.get("agentledger.dlq.records").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static int groupMembers(Pipeline p) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(p.broker.clientProperties()))) {
      return admin
          .describeConsumerGroups(List.of(p.config.consumerGroup()))
          .all()
          .get(30, TimeUnit.SECONDS)
          .get(p.config.consumerGroup())
          .members()
          .size();
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(Pipeline p) {
    Properties props = new Properties();
    props.putAll(p.broker.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static ProducerRecord<byte[], byte[]> record(Pipeline p, String key, byte[] value) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(p.config.spansTopic(), key.getBytes(StandardCharsets.UTF_8), value);
    r.headers().add(Topics.PROJECT_HEADER, "alpha".getBytes(StandardCharsets.UTF_8));
    return r;
  }

  /** Everything in the dead-letter topic: read until 2 s pass without a new record. */
  private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(Pipeline p) {
    Properties props = new Properties();
    props.putAll(p.broker.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> dlq =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      dlq.subscribe(List.of(p.config.deadLetterTopic()));
      long[] quietSince = {System.nanoTime()};
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                int before = got.size();
                dlq.poll(Duration.ofMillis(200)).forEach(got::add);
                if (got.size() > before || got.isEmpty()) {
                  quietSince[0] = System.nanoTime();
                }
                return !got.isEmpty() && System.nanoTime() - quietSince[0] > 2_000_000_000L;
              });
    }
    return got;
  }
}
