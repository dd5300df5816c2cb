package io.agentledger.collector.otlp;

import io.agentledger.collector.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes span records to Kafka and waits for the acknowledgement: {@code acks=all} and the
 * idempotent producer, so an acknowledged record is on every in-sync replica exactly once.
 */
public final class SpanPublisher implements AutoCloseable {

  /** Kafka did not take or acknowledge the records in time. */
  public static final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  /**
   * @param kafkaClient client properties: {@code bootstrap.servers} and any security settings
   */
  public SpanPublisher(Map<String, String> kafkaClient, String topic) {
    this.producer =
        new KafkaProducer<>(
            producerConfig(kafkaClient), new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /**
   * The receiver's producer settings: idempotent, {@code acks=all}, lz4, bounded blocking. Public
   * so the benchmark's Kafka ceiling measures exactly this producer.
   */
  public static Properties producerConfig(Map<String, String> kafkaClient) {
    Properties p = new Properties();
    p.putAll(kafkaClient);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
    // A full buffer means Kafka is behind: answer 503 quickly instead of holding the request.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "agentledger-receiver");
    return p;
  }

  /**
   * Sends one record per entry (key → value) with the project header, and returns once Kafka has
   * acknowledged all of them.
   */
  public void publish(String project, Map<String, byte[]> records, Duration timeout)
      throws PublishException {
    byte[] projectHeader = project.getBytes(StandardCharsets.UTF_8);
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Map.Entry<String, byte[]> e : records.entrySet()) {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(topic, e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue());
        record.headers().add(Topics.PROJECT_HEADER, projectHeader);
        acks.add(producer.send(record));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw new PublishException("Kafka rejected the batch: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new PublishException("Kafka did not acknowledge within " + timeout, e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new PublishException("Kafka is unavailable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while waiting for Kafka", e);
    }
  }

  /** Sends what is buffered and closes, waiting at most the timeout. */
  public void close(Duration timeout) {
    producer.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
