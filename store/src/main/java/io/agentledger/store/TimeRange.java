package io.agentledger.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A half-open interval {@code [from, to)} of time.
 *
 * @param from the start, inclusive; not null
 * @param to the end, exclusive; not null and not before {@code from}
 */
public record TimeRange(Instant from, Instant to) {
  /**
   * Checks that the range is not backwards.
   *
   * @param from the start, inclusive; not null
   * @param to the end, exclusive; not null and not before {@code from}
   */
  public TimeRange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("'to' (" + to + ") is before 'from' (" + from + ")");
    }
  }

  /**
   * The start, in nanoseconds since the epoch.
   *
   * @return the start (inclusive)
   */
  public long fromEpochNanos() {
    return from.getEpochSecond() * 1_000_000_000L + from.getNano();
  }

  /**
   * The end, in nanoseconds since the epoch.
   *
   * @return the end (exclusive)
   */
  public long toEpochNanos() {
    return to.getEpochSecond() * 1_000_000_000L + to.getNano();
  }
}
