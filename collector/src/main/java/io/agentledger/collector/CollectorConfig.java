package io.agentledger.collector;

import java.time.Duration;

/**
 * The collector's limits and batching knobs.
 *
 * @param maxBodyBytes largest request body accepted as sent (compressed or not): 413 above
 * @param maxDecompressedBytes largest body after gzip: 413 above (zip bombs stop here)
 * @param maxInFlightBytes decoded bytes waiting for Kafka's acknowledgement across all requests:
 *     429 above, so memory stays bounded however fast clients send
 * @param maxConsumerLag records the consumers may fall behind the topic before the receiver answers
 *     429: the store's back-pressure reaching the client
 * @param ackTimeout how long a request waits for Kafka's acknowledgement before answering 503
 * @param batchSpans spans the consumer gathers before writing to the store
 * @param batchLinger longest a span waits in the consumer's batch
 * @param consumers consumer threads (each owns some partitions)
 */
public record CollectorConfig(
    long maxBodyBytes,
    long maxDecompressedBytes,
    long maxInFlightBytes,
    long maxConsumerLag,
    Duration ackTimeout,
    int batchSpans,
    Duration batchLinger,
    int consumers) {

  public static CollectorConfig defaults() {
    return new CollectorConfig(
        16L << 20,
        64L << 20,
        256L << 20,
        200_000,
        Duration.ofSeconds(10),
        20_000,
        Duration.ofMillis(200),
        2);
  }

  public CollectorConfig withConsumers(int n) {
    return new CollectorConfig(
        maxBodyBytes,
        maxDecompressedBytes,
        maxInFlightBytes,
        maxConsumerLag,
        ackTimeout,
        batchSpans,
        batchLinger,
        n);
  }

  public CollectorConfig withMaxConsumerLag(long lag) {
    return new CollectorConfig(
        maxBodyBytes,
        maxDecompressedBytes,
        maxInFlightBytes,
        lag,
        ackTimeout,
        batchSpans,
        batchLinger,
        consumers);
  }

  public CollectorConfig withBatch(int spans, Duration linger) {
    return new CollectorConfig(
        maxBodyBytes,
        maxDecompressedBytes,
        maxInFlightBytes,
        maxConsumerLag,
        ackTimeout,
        spans,
        linger,
        consumers);
  }
}
