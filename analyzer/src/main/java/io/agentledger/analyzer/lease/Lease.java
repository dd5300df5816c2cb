package io.agentledger.analyzer.lease;

import java.time.Duration;

/** Whether this analyzer instance may run a job now ({@link Leases}). */
@FunctionalInterface
public interface Lease {

  /** Always held: the one analyzer of a single-process deployment (the embedded DuckDB). */
  Lease ALWAYS = needed -> true;

  /**
   * Whether this instance holds the job now and will for at least {@code needed} more: a job checks
   * before each unit of work that must not overlap with another instance's (a delivery: the time it
   * may take).
   *
   * @param needed how long the work about to start may take
   * @return true when the work may start
   */
  boolean heldFor(Duration needed);

  /** Whether this instance holds the job now. */
  default boolean held() {
    return heldFor(Duration.ZERO);
  }
}
