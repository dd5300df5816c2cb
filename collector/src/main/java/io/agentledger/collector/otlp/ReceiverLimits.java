package io.agentledger.collector.otlp;

import io.agentledger.core.limits.TenantLimiter;
import java.time.Duration;

/**
 * The receiver's limits on HTTP clients (the byte limits live in {@link
 * io.agentledger.collector.CollectorConfig}). Documented in {@code docs/security.md}.
 *
 * @param maxConcurrentBodyReads request bodies read at once across all clients: 503 above
 * @param bodyTimeout longest a request body may take to arrive in full: 408 above
 * @param minBodyBytesPerSecond slowest average rate a body may arrive at once {@code minRateGrace}
 *     has passed: 408 below (0: off)
 * @param minRateGrace how long a body may arrive slowly before the minimum rate applies
 * @param idleTimeout longest a request may wait for the next byte (Jetty's stream idle timeout)
 * @param perProject per-project concurrency and request rate: 429 above
 * @param projectInFlightPercent the share of the in-flight byte budget one project may hold: 429
 *     above, so one project's bodies cannot take the whole budget
 * @param warningInterval one log line per kind of rejection per interval
 */
public record ReceiverLimits(
    int maxConcurrentBodyReads,
    Duration bodyTimeout,
    long minBodyBytesPerSecond,
    Duration minRateGrace,
    Duration idleTimeout,
    TenantLimiter.Limits perProject,
    int projectInFlightPercent,
    Duration warningInterval) {

  public ReceiverLimits {
    if (projectInFlightPercent < 1 || projectInFlightPercent > 100) {
      throw new IllegalArgumentException("projectInFlightPercent must be between 1 and 100");
    }
  }

  public static ReceiverLimits defaults() {
    return new ReceiverLimits(
        64,
        Duration.ofSeconds(30),
        1024,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        new TenantLimiter.Limits(32, 1000, 2000),
        50,
        Duration.ofSeconds(30));
  }
}
