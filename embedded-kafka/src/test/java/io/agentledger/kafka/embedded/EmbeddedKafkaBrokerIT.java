package io.agentledger.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

class EmbeddedKafkaBrokerIT {

  @TempDir Path dir;

  @Test
  void recordsSurviveARestartOfTheBroker() throws Exception {
    Path logs = dir.resolve("kafka");
    int port;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(logs).start()) {
      port = broker.port();
      broker.createTopic("t", 2, Map.of());
      try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
        for (int i = 0; i < 10; i++) {
          producer
              .send(
                  new ProducerRecord<>(
                      "t",
                      ("k" + i).getBytes(StandardCharsets.UTF_8),
                      ("v" + i).getBytes(StandardCharsets.UTF_8)))
              .get();
        }
      }
    }

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(logs).port(port).start()) {
      broker.createTopic("t", 2, Map.of()); // exists: no error
      List<String> values = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker.bootstrapServers())) {
        consumer.subscribe(List.of("t"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < 10 && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
          }
        }
      }
      assertThat(values)
          .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
