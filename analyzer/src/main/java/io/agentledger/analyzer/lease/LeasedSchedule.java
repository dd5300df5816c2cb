package io.agentledger.analyzer.lease;

import io.agentledger.core.concurrent.Executors2;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background loop of the analyzer's periodic jobs (detection, alert evaluation, regression
 * detection, each sink's deliveries, outbox retention, the leases' own claims): a daemon thread of
 * its own that runs the job every {@code interval} (a fixed delay between the end of one round and
 * the start of the next) while this instance holds the job's {@link Lease}, until {@link #close}.
 *
 * <p>A round that throws is logged and the loop goes on: an exception escaping a scheduled task
 * would silently cancel every later round. Jobs that count their failures catch them first.
 */
public final class LeasedSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeasedSchedule.class);

  private final String name;
  private @Nullable ScheduledExecutorService executor; // null unless started

  /**
   * @param name the job's name, also its thread's
   */
  public LeasedSchedule(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Starts the loop, unless started already.
   *
   * @param initialDelay before the first round
   * @param interval between the end of a round and the start of the next
   * @param lease a round runs only while it is held ({@link Lease#ALWAYS} for every round)
   * @param job one round
   */
  public synchronized void start(
      Duration initialDelay, Duration interval, Lease lease, Runnable job) {
    if (executor != null) {
      return;
    }
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            if (lease.held()) {
              job.run();
            }
          } catch (RuntimeException e) {
            LOG.warn("{} failed, will retry: {}", name, e.toString(), e);
          }
        },
        initialDelay.toMillis(),
        Math.max(1, interval.toMillis()),
        TimeUnit.MILLISECONDS);
    executor = ex;
  }

  /** Whether the loop is running. */
  public synchronized boolean started() {
    return executor != null;
  }

  /** Stops the loop, waiting up to {@code timeout} for a round in progress. */
  public synchronized void close(Duration timeout) {
    ScheduledExecutorService ex = executor;
    if (ex == null) {
      return;
    }
    Executors2.stop(ex, timeout);
    executor = null;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
