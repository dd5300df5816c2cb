package io.agentledger.analyzer.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * When to try a failed delivery again: {@code initial}, doubling per failed attempt up to {@code
 * max}; a notification still failing {@code giveUp} after its transition is dropped (and counted).
 *
 * @param initial the wait after the first failure
 * @param max the longest wait between attempts
 * @param giveUp how long after the transition a failing delivery is given up
 */
public record Backoff(Duration initial, Duration max, Duration giveUp) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(giveUp, "giveUp");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
  }

  /** The wait after the {@code failures}-th failed attempt (1 for the first). */
  public Duration delay(int failures) {
    Duration d = initial;
    for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
