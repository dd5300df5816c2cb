package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.collector.ingest.IngestService;
import io.agentledger.collector.ingest.ProjectCatalogs;
import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.core.testing.OtlpRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record on the span topic naming a project without an API key (a typo in the exporter's project)
 * is not stored where no key could read it: it is dead-lettered with the reason and counted, and
 * the known project's records flow.
 */
class UnknownProjectIT {

  @TempDir Path dir;

  @Test
  void aRecordForAnUnknownProject_isDeadLetteredWithTheReason_andCounted() throws Exception {
    try (Pipeline pipeline = new Pipeline(dir, CollectorConfig.from(Map.of()))) {
      pipeline.ingest.close();
      pipeline.ingest =
          new IngestService(
              pipeline.broker.clientProperties(),
              pipeline.writer,
              new ProjectCatalogs(
                  PriceCatalog.bundled(), pipeline.store, Clock.systemUTC(), Duration.ofSeconds(1)),
              project -> ToolPrices.NONE,
              pipeline.config,
              pipeline.metrics,
              Set.of("alpha", "beta")::contains);

      Properties p = new Properties();
      p.putAll(pipeline.broker.clientProperties());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (var entry : Map.of(401L, "acme-typo", 402L, "alpha").entrySet()) {
          String trace = trace(entry.getKey());
          ProducerRecord<byte[], byte[]> r =
              new ProducerRecord<>(
                  pipeline.config.spansTopic(),
                  trace.getBytes(StandardCharsets.UTF_8),
                  OtlpRequests.modelCalls(entry.getKey(), 1, 1).toByteArray());
          r.headers().add(Topics.PROJECT_HEADER, entry.getValue().getBytes(StandardCharsets.UTF_8));
          producer.send(r).get();
        }
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> pipeline.store.chainSpans("alpha", trace(402)).size() == 1);
      List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters(pipeline);
      assertThat(dead).hasSize(1);
      assertThat(header(dead.get(0), Topics.PROJECT_HEADER)).isEqualTo("acme-typo");
      assertThat(header(dead.get(0), Topics.ERROR_HEADER))
          .contains("project 'acme-typo'")
          .contains("has no API key here");
      assertThat(pipeline.store.chainSpans("acme-typo", trace(401))).isEmpty();
      assertThat(pipeline.registry.counter("agentledger.records.unknown_project").count())
          .isEqualTo(1.0);
    }
  }

  private static String trace(long seq) {
    return HexIds.toHex(OtlpRequests.id(16, seq * 1000 + 1));
  }

  private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(Pipeline pipeline) {
    Properties p = new Properties();
    p.putAll(pipeline.broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "unknown-project-reader");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> dlq =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      dlq.subscribe(List.of(pipeline.config.deadLetterTopic()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                dlq.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
              });
    }
    return got;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
