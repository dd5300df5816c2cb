package io.agentledger.analyzer.notify;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.analyzer.lease.Leases;
import io.agentledger.store.NotificationOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The publisher detectors use, and one running {@link SinkWorker} per configured sink. */
public final class NotificationService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

  private final Notifications notifications;
  private final List<SinkWorker> workers;
  private final OutboxRetention retention;

  private NotificationService(
      Notifications notifications, List<SinkWorker> workers, OutboxRetention retention) {
    this.notifications = notifications;
    this.workers = List.copyOf(workers);
    this.retention = retention;
  }

  static NotificationService start(
      List<NotificationSink> sinks,
      NotificationOutbox outbox,
      Backoff backoff,
      Duration poll,
      OutboxRetention retention,
      Duration retentionInterval,
      Clock clock,
      MeterRegistry registry,
      Function<String, Lease> leases) {
    List<SinkWorker> workers = new ArrayList<>();
    for (NotificationSink sink : sinks) {
      SinkWorker worker = new SinkWorker(sink, outbox, backoff, clock, registry);
      worker.start(poll, leases.apply(Leases.sink(sink.name())));
      workers.add(worker);
      LOG.info("Alert sink {} delivers to {}", sink.name(), sink.target());
    }
    retention.start(retentionInterval, leases.apply(Leases.RETENTION));
    List<String> names = sinks.stream().map(NotificationSink::name).toList();
    return new NotificationService(new Notifications(outbox, names, registry), workers, retention);
  }

  /** Where detectors publish their findings' transitions. */
  public Notifications notifications() {
    return notifications;
  }

  public List<SinkWorker> workers() {
    return workers;
  }

  /** Stops every worker, each waiting up to {@code timeout} for its attempt in progress. */
  public void close(Duration timeout) {
    for (SinkWorker w : workers) {
      w.close(timeout);
    }
    retention.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
