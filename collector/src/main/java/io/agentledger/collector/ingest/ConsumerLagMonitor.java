package io.agentledger.collector.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group's lag as Kafka itself records it: end offset minus committed offset, summed
 * over the span topic's partitions, refreshed every second.
 *
 * <p>Measured from the committed offsets rather than from the consumers' own fetch positions,
 * because the case back-pressure exists for is a consumer stuck in a slow store write: it stops
 * fetching, so its own view of the lag stops growing while records keep arriving.
 */
final class ConsumerLagMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMonitor.class);
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final Admin admin;
  private final String topic;
  private final String groupId;
  private final AtomicLong lag = new AtomicLong();
  private final LongConsumer afterRefresh;
  private volatile long refreshedAt = System.nanoTime(); // the last refresh that reached Kafka
  private volatile @Nullable List<TopicPartition> partitions; // described on the first refresh
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "consumer-lag-monitor");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param afterRefresh called with the lag after each refresh (on the monitor's thread)
   */
  ConsumerLagMonitor(
      Map<String, String> kafkaClient, String topic, String groupId, LongConsumer afterRefresh) {
    this.afterRefresh = afterRefresh;
    Map<String, Object> config = new HashMap<>(kafkaClient);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "agentledger-lag-monitor");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    this.admin = Admin.create(config);
    this.topic = topic;
    this.groupId = groupId;
    timer.scheduleWithFixedDelay(this::refresh, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How long Kafka has not answered the monitor (zero while it answers every second). */
  Duration unanswered() {
    return Duration.ofNanos(Math.max(0, System.nanoTime() - refreshedAt - PERIOD.toNanos()));
  }

  /** Records in the span topic the group has not committed, as of the last refresh. */
  long lag() {
    return lag.get();
  }

  private void refresh() {
    try {
      List<TopicPartition> partitions = this.partitions;
      if (partitions == null) { // partitions of a topic do not change under us: describe once
        TopicDescription description =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(topic);
        partitions =
            Objects.requireNonNull(description, topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        this.partitions = partitions;
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          offsets(partitions, OffsetSpec.latest());
      // A partition the group never committed is behind by everything it holds.
      List<TopicPartition> uncommitted =
          partitions.stream().filter(tp -> committed.get(tp) == null).toList();
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          uncommitted.isEmpty() ? Map.of() : offsets(uncommitted, OffsetSpec.earliest());
      long total = 0;
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata c = committed.get(tp);
        // Kafka answers for every partition asked about.
        long from = c != null ? c.offset() : Objects.requireNonNull(starts.get(tp)).offset();
        total += Math.max(0, Objects.requireNonNull(ends.get(tp)).offset() - from);
      }
      lag.set(total);
      refreshedAt = System.nanoTime();
      afterRefresh.accept(total);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Kafka unreachable: the receiver's produce fails with 503 on its own; keep the last value.
      LOG.debug("consumer lag not refreshed: {}", e.toString());
    }
  }

  private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(
      List<TopicPartition> of, OffsetSpec spec) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    of.forEach(tp -> request.put(tp, spec));
    return admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
