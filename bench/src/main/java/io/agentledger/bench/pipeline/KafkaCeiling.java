package io.agentledger.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The most the broker can move: the same payload bytes produced (with the receiver's producer
 * settings) and consumed (with the collector's consumer settings), nothing decoded or stored.
 */
final class KafkaCeiling {

  private static final String TOPIC = "bench.ceiling";
  private static final int PARTITIONS = 4;

  private KafkaCeiling() {}

  /** Spans per second through produce + consume of {@code bodies}' raw protobuf. */
  static double measure(Map<String, String> kafkaClient, List<RequestPool.Body> bodies)
      throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(kafkaClient))) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    long spans = bodies.stream().mapToLong(RequestPool.Body::spans).sum();
    ExecutorService consumerThread = Executors.newSingleThreadExecutor();
    long start = System.nanoTime();
    Future<?> consumed =
        consumerThread.submit(
            () -> {
              Properties p = new Properties();
              p.putAll(kafkaClient);
              p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
              p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
              p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
              p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
              try (KafkaConsumer<byte[], byte[]> c =
                  new KafkaConsumer<>(
                      p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                // Assigned, not subscribed: a group could wait minutes for the new topic's
                // metadata before it gets any partition.
                List<TopicPartition> partitions = new ArrayList<>();
                for (int i = 0; i < PARTITIONS; i++) {
                  partitions.add(new TopicPartition(TOPIC, i));
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                long records = 0;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (records < bodies.size()) {
                  if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                        "consumed " + records + " of " + bodies.size() + " records in 5 minutes");
                  }
                  ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofMillis(100));
                  records += batch.count();
                }
              }
              return null;
            });
    Properties p = io.agentledger.collector.otlp.SpanPublisher.producerConfig(kafkaClient);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-ceiling");
    // Flat out, sends outrun the buffer: wait for room rather than fail as the receiver must.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      int i = 0;
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (RequestPool.Body b : bodies) {
        acks.add(
            producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i++).getBytes(), b.raw())));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(2, TimeUnit.MINUTES); // a failed send would leave the consumer waiting
      }
    }
    consumed.get(10, TimeUnit.MINUTES);
    consumerThread.shutdown();
    return spans / ((System.nanoTime() - start) / 1e9);
  }
}
