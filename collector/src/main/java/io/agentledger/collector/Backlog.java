package io.agentledger.collector;

import java.time.Duration;

/**
 * The work the consumers have not yet done, as the receiver's admission control sees it.
 *
 * @param spans spans in the span topic not yet written to the store (estimated: Kafka counts
 *     records, and each record's spans are known once read)
 * @param drainSpansPerSecond how fast the store has been taking spans lately (0 when it has not)
 */
public record Backlog(long spans, double drainSpansPerSecond) {

  /** No backlog at all (before the consumers start). */
  public static final Backlog NONE = new Backlog(0, 0);

  /** Longest {@code Retry-After} the receiver asks for. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  /**
   * How long the consumers need to work the backlog off at their recent rate, as a whole number of
   * seconds between 1 and 30 (30 when the store has stopped taking spans).
   */
  public Duration retryAfter() {
    if (drainSpansPerSecond <= 0) {
      return MAX_RETRY_AFTER;
    }
    double seconds = Math.ceil(spans / drainSpansPerSecond);
    return Duration.ofSeconds((long) Math.max(1, Math.min(MAX_RETRY_AFTER.toSeconds(), seconds)));
  }
}
