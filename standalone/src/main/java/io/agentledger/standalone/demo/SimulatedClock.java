package io.agentledger.standalone.demo;

import io.opentelemetry.sdk.common.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The clock the demo's spans are timed by: a run starts at a given instant and its time moves only
 * when the simulation waits for a model, a tool or a human ({@link #advance}). So a run of a minute
 * is recorded in a millisecond, with the durations it would have had.
 *
 * <p>Used by the demo's one thread: a run is simulated from start to end on it.
 */
final class SimulatedClock implements Clock {

  private volatile long runStartNanos;
  private volatile long elapsedNanos;

  /** The next run starts at {@code start}. */
  void startRun(Instant start) {
    runStartNanos = TimeUnit.SECONDS.toNanos(start.getEpochSecond()) + start.getNano();
    elapsedNanos = 0;
  }

  /** The simulation waited {@code d}. */
  void advance(Duration d) {
    elapsedNanos += d.toNanos();
  }

  /** How long the current run has taken so far. */
  Duration elapsed() {
    return Duration.ofNanos(elapsedNanos);
  }

  @Override
  public long now() {
    return runStartNanos + elapsedNanos;
  }

  @Override
  public long nanoTime() {
    return elapsedNanos;
  }
}
