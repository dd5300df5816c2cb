package io.agentledger.collector;

import java.time.Duration;

/**
 * The collector's limits and batching knobs.
 *
 * @param maxBodyBytes largest request body accepted as sent (compressed or not): 413 above
 * @param maxDecompressedBytes largest body after gzip: 413 above (zip bombs stop here); by default
 *     a sixteenth of the heap, at most 64 MiB
 * @param maxInFlightBytes request bytes held at once across all requests, as sent and inflated,
 *     reserved before they are read and kept until Kafka acknowledges: 429 above, so memory stays
 *     bounded however fast clients send; by default a quarter of the heap, at most 256 MiB
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
        defaultMaxDecompressedBytes(),
        defaultMaxInFlightBytes(),
        200_000,
        Duration.ofSeconds(10),
        20_000,
        Duration.ofMillis(200),
        2);
  }

  /** A sixteenth of the heap ({@code -Xmx}), between 4 MiB and 64 MiB. */
  public static long defaultMaxDecompressedBytes() {
    return heapShare(16, 4L << 20, 64L << 20);
  }

  /** A quarter of the heap ({@code -Xmx}), between 16 MiB and 256 MiB. */
  public static long defaultMaxInFlightBytes() {
    return heapShare(4, 16L << 20, 256L << 20);
  }

  private static long heapShare(int divisor, long min, long max) {
    long heap = Runtime.getRuntime().maxMemory();
    long share = heap == Long.MAX_VALUE ? max : heap / divisor;
    return Math.max(min, Math.min(max, share));
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
