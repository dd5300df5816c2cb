package io.agentledger.store.clickhouse;

import java.time.Clock;

/**
 * Row versions for the ReplacingMergeTree tables.
 *
 * <p>Versions come from the clock in microseconds but never repeat or go back within a process, so
 * of two writes of one row the later one wins even when the clock has not moved (a test clock, two
 * writes in one microsecond). Rows saveRollups rewrites carry {@link #SETTLED}, so a settled span
 * outranks a raw copy of it that a concurrent replay may still insert.
 */
final class Versions {

  /** Added to the version of span rows rewritten when their chain settles. */
  static final long SETTLED = 1L << 62;

  private final Clock clock;
  private long lastVersion;

  Versions(Clock clock) {
    this.clock = clock;
  }

  synchronized long next() {
    lastVersion = Math.max(lastVersion + 1, Sql.micros(clock.instant()));
    return lastVersion;
  }
}
