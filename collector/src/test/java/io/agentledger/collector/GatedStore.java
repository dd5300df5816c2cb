package io.agentledger.collector;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The real store's writes with a gate in front: while the gate is closed, {@link #append} waits, as
 * it would on a store that has fallen behind.
 */
final class GatedStore implements SpanWriter {

  private final SpanWriter store;
  private final CountDownLatch gate = new CountDownLatch(1);

  GatedStore(SpanWriter store) {
    this.store = store;
  }

  void open() {
    gate.countDown();
  }

  @Override
  public int append(List<AgentSpan> spans) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return store.append(spans);
  }
}
