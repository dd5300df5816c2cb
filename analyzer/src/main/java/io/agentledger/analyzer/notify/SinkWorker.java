package io.agentledger.analyzer.notify;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.analyzer.lease.LeasedSchedule;
import io.agentledger.core.log.ThrottledLog;
import io.agentledger.store.Delivery;
import io.agentledger.store.Notification;
import io.agentledger.store.NotificationOutbox;
import io.agentledger.store.PendingDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one sink's notifications from the outbox, on a thread of its own, so a slow or failing
 * sink delays only itself.
 *
 * <p>A sink's queue is delivered in the order the transitions happened, and a failed delivery holds
 * back the ones behind it until its retry succeeds (or is given up): a receiver never sees a
 * finding resolve before it fired. Each attempt's outcome is saved before the next one starts, so a
 * restart resumes with the same delivery; a crash between a receiver accepting a notification and
 * the outcome being saved repeats that one delivery (the webhook's {@value WebhookSink#DELIVERY}
 * header lets a receiver drop it).
 */
public final class SinkWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
  private static final int BATCH = 100;

  private final NotificationSink sink;
  private final NotificationOutbox outbox;
  private final Backoff backoff;
  private final Clock clock;
  private final ThrottledLog warnings;
  private final Counter delivered;
  private final Counter retried;
  private final Counter dropped;
  private @Nullable Instant lastReminder; // null until the first reminder
  private final LeasedSchedule schedule;

  public SinkWorker(
      NotificationSink sink,
      NotificationOutbox outbox,
      Backoff backoff,
      Clock clock,
      MeterRegistry registry) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.schedule = new LeasedSchedule("notify-" + sink.name());
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.warnings = new ThrottledLog(LOG, Duration.ofMinutes(1));
    this.delivered = outcome(registry, "delivered");
    this.retried = outcome(registry, "retried");
    this.dropped = outcome(registry, "dropped");
  }

  private Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("agentledger.notifications.deliveries")
        .description("Delivery attempts by sink and outcome (delivered, retried, dropped)")
        .tag("sink", sink.name())
        .tag("outcome", outcome)
        .register(registry);
  }

  public NotificationSink sink() {
    return sink;
  }

  /**
   * Delivers what is due, oldest first, stopping at the first delivery that must wait.
   *
   * @return how many deliveries were completed (delivered or dropped)
   */
  public int deliverOnce() {
    return deliverOnce(Lease.ALWAYS);
  }

  /**
   * Like {@link #deliverOnce()}, starting each delivery only while this instance holds the sink's
   * lease for as long as a delivery may take (so another instance never sends the same one).
   */
  public int deliverOnce(Lease lease) {
    int done = 0;
    List<PendingDelivery> pending = outbox.pendingDeliveries(sink.name(), BATCH);
    for (PendingDelivery p : pending) {
      Delivery d = p.delivery();
      Instant now = clock.instant();
      if (d.nextAttemptAt().isAfter(now)) {
        break; // keeps the sink's order: nothing overtakes a delivery waiting for its retry
      }
      if (!lease.heldFor(sink.sendTimeout().plusSeconds(1))) { // and the save
        break;
      }
      Notification n = p.notification();
      NotificationSink.Result result = sink.send(n);
      int attempts = d.attempts() + 1;
      switch (result.outcome()) {
        case DELIVERED -> {
          outbox.saveDelivery(withOutcome(d, attempts, now, Delivery.DELIVERED, ""));
          delivered.increment();
          done++;
        }
        case REFUSED -> {
          outbox.saveDelivery(withOutcome(d, attempts, now, Delivery.DROPPED, result.error()));
          dropped.increment();
          done++;
          LOG.warn(
              "Sink {} ({}) refused notification {} of project {}, dropped: {}",
              sink.name(),
              sink.target(),
              n.id(),
              n.project(),
              result.error());
        }
        case RETRY -> {
          if (!now.isBefore(n.at().plus(backoff.giveUp()))) {
            outbox.saveDelivery(withOutcome(d, attempts, now, Delivery.DROPPED, result.error()));
            dropped.increment();
            LOG.error(
                "Sink {} ({}) still failing {} after notification {} of project {}, dropped: {}",
                sink.name(),
                sink.target(),
                backoff.giveUp(),
                n.id(),
                n.project(),
                result.error());
            done++;
            continue;
          }
          Instant next = now.plus(backoff.delay(attempts));
          outbox.saveDelivery(withOutcome(d, attempts, next, Delivery.PENDING, result.error()));
          retried.increment();
          warnings.warn(
              "sink_" + sink.name(),
              "sink "
                  + sink.name()
                  + " ("
                  + sink.target()
                  + ") failed, retrying at "
                  + next
                  + ": "
                  + result.error());
          return done;
        }
      }
    }
    return done;
  }

  private static Delivery withOutcome(
      Delivery d, int attempts, Instant next, String outcome, String error) {
    return new Delivery(d.sink(), d.project(), d.notificationId(), attempts, next, outcome, error);
  }

  /** Re-sends the firing findings when the sink wants reminders and the interval has passed. */
  public void remindIfDue() {
    Duration interval = sink.remindInterval();
    if (interval.isZero()) {
      return;
    }
    Instant now = clock.instant();
    Instant last = lastReminder;
    if (last != null && now.isBefore(last.plus(interval))) {
      return;
    }
    NotificationSink.Result result = sink.remind(outbox.firingNotifications());
    if (result.outcome() == NotificationSink.Outcome.DELIVERED) {
      lastReminder = now;
    } else {
      warnings.warn(
          "remind_" + sink.name(),
          "sink " + sink.name() + " (" + sink.target() + ") reminder failed: " + result.error());
    }
  }

  /** One round, while this instance holds the sink's lease. */
  private void tick(Lease lease) {
    try {
      deliverOnce(lease);
      remindIfDue();
    } catch (RuntimeException e) {
      // A store error: nothing was lost (the outbox still holds it); try again next tick.
      warnings.warn("store_" + sink.name(), "sink " + sink.name() + " delivery round failed", e);
    }
  }

  /** Delivers in the background every {@code poll} until {@link #close}. */
  public void start(Duration poll) {
    start(poll, Lease.ALWAYS);
  }

  /**
   * Delivers in the background every {@code poll}, when this instance holds the sink's lease, until
   * {@link #close}.
   */
  public void start(Duration poll, Lease lease) {
    schedule.start(Duration.ZERO, poll, lease, () -> tick(lease));
  }

  /** Stops delivering, waiting up to {@code timeout} for an attempt in progress. */
  public void close(Duration timeout) {
    schedule.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
