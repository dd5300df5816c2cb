package io.agentledger.core.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stopping background executors the same way everywhere. */
public final class Executors2 {

  private Executors2() {}

  /**
   * Lets the task in progress finish for up to {@code timeout}, then interrupts it; keeps the
   * caller's interrupt status.
   */
  public static void stop(ExecutorService executor, Duration timeout) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
