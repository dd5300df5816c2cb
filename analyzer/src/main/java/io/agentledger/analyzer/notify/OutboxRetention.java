package io.agentledger.analyzer.notify;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.analyzer.lease.LeasedSchedule;
import io.agentledger.store.NotificationOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Deletes the notifications delivered (or given up on) more than {@code retention} ago, so the
 * outbox does not grow forever ({@link NotificationOutbox#deleteDoneNotifications}: pending ones
 * and each finding's latest stay). The retention must outlast any re-run of a detector that could
 * publish the same transition again (minutes), or it would be delivered again.
 */
public final class OutboxRetention implements AutoCloseable {

  private final NotificationOutbox outbox;
  private final Duration retention;
  private final Clock clock;
  private final Counter deleted;
  private final LeasedSchedule schedule = new LeasedSchedule("outbox-retention");

  public OutboxRetention(
      NotificationOutbox outbox, Duration retention, Clock clock, MeterRegistry registry) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.deleted =
        Counter.builder("agentledger.notifications.deleted")
            .description("Delivered notifications deleted from the outbox after the retention")
            .register(registry);
  }

  /**
   * Deletes what is past the retention.
   *
   * @return how many notifications were deleted
   */
  public int deleteOnce() {
    int n = outbox.deleteDoneNotifications(clock.instant().minus(retention));
    deleted.increment(n);
    return n;
  }

  /** Deletes every {@code interval}, when this instance holds the lease, until {@link #close}. */
  public void start(Duration interval, Lease lease) {
    schedule.start(interval, interval, lease, this::deleteOnce);
  }

  /** Stops, waiting up to {@code timeout} for a round in progress. */
  public void close(Duration timeout) {
    schedule.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
