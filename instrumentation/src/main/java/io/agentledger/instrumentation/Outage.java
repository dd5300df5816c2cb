package io.agentledger.instrumentation;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per outage that spans are being dropped, and once that they flow again with how many
 * the outage cost: a dead exporter is loud, but not once per batch.
 */
final class Outage {

  private static final Logger LOG = LoggerFactory.getLogger(Outage.class);

  private final String target;
  private final AtomicLong dropped;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicLong droppedBefore = new AtomicLong();

  /**
   * Reports on {@code target}.
   *
   * @param dropped the exporter's running count of dropped spans, which this adds to
   */
  Outage(String target, AtomicLong dropped) {
    this.target = target;
    this.dropped = dropped;
  }

  void failed(long spans, String reason) {
    long total = dropped.addAndGet(spans);
    if (down.compareAndSet(false, true)) {
      droppedBefore.set(total - spans);
      LOG.warn(
          "AgentLedger: {} is not taking spans ({}); dropping them until it does, {} so far",
          target,
          reason,
          total);
    }
  }

  void succeeded() {
    if (down.get() && down.compareAndSet(true, false)) {
      LOG.warn(
          "AgentLedger: {} takes spans again; {} were dropped while it did not",
          target,
          dropped.get() - droppedBefore.get());
    }
  }

  boolean isDown() {
    return down.get();
  }
}
