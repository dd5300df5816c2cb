package io.agentledger.collector;

import io.agentledger.core.config.KafkaSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka headers of the span pipeline and the creation of its topics (see API.md, "Ingestion").
 * The topic names are settings ({@link CollectorConfig#spansTopic()}, {@link
 * CollectorConfig#deadLetterTopic()}).
 */
public final class Topics {

  /**
   * Record header naming the project of the spans in a record. Required: a record without it goes
   * to the dead-letter topic, since the project decides who may read the spans.
   */
  public static final String PROJECT_HEADER = KafkaSettings.PROJECT_HEADER;

  /** Dead-letter headers. */
  public static final String ERROR_HEADER = "agentledger.error";

  public static final String SOURCE_HEADER = "agentledger.source";

  private Topics() {}

  /**
   * Creates the span and dead-letter topics unless they exist (an existing topic is left as it is),
   * replicated to three brokers, or to every broker of a smaller cluster.
   *
   * <p>The span topic gets {@link CollectorConfig#spanPartitions()}: the most consumer threads that
   * can share the work.
   *
   * @param kafkaClient client properties: {@code bootstrap.servers} and any security settings
   */
  public static void ensure(Map<String, String> kafkaClient, CollectorConfig config) {
    String bootstrapServers = kafkaClient.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(kafkaClient))) {
      short replication =
          (short) Math.min(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
      for (NewTopic topic :
          List.of(
              new NewTopic(config.spansTopic(), config.spanPartitions(), replication),
              new NewTopic(config.deadLetterTopic(), 1, replication))) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create Kafka topic " + topic.name() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at " + bootstrapServers + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the Kafka topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer within 30 s", e);
    }
  }
}
