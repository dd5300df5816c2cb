package io.agentledger.store;

import java.time.Instant;
import java.util.Objects;

/** A half-open interval {@code [from, to)} of time. */
public record TimeRange(Instant from, Instant to) {
  public TimeRange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("'to' (" + to + ") is before 'from' (" + from + ")");
    }
  }

  public long fromEpochNanos() {
    return from.getEpochSecond() * 1_000_000_000L + from.getNano();
  }

  public long toEpochNanos() {
    return to.getEpochSecond() * 1_000_000_000L + to.getNano();
  }
}
