package io.agentledger.collector;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.PriceOverrides;
import io.agentledger.store.SpanWriter;
import io.agentledger.store.StoreException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real store's writes (and price-override reads) behind a switch: while {@link #down} the store
 * answers as an unreachable database does, with a retryable {@link StoreException} (the error a
 * driver's refused connection becomes through {@code StoreFailures}); {@link #crashes} makes the
 * next writes fail with an error that is neither a data error nor transient, as a bug would.
 */
final class OutageStore implements SpanWriter {

  static final String DOWN = "connection refused: the store is unreachable (test outage)";

  private final SpanWriter store;
  private volatile boolean down;
  private final AtomicInteger crashes = new AtomicInteger();
  final AtomicInteger failedCalls = new AtomicInteger();

  OutageStore(SpanWriter store) {
    this.store = store;
  }

  /** The store's price overrides behind the same switch. */
  PriceOverrides overridesOf(PriceOverrides overrides) {
    return new PriceOverrides() {
      @Override
      public void savePriceOverride(String project, ModelPricing pricing) {
        failIfDown();
        overrides.savePriceOverride(project, pricing);
      }

      @Override
      public List<ModelPricing> priceOverrides(String project) {
        failIfDown();
        return overrides.priceOverrides(project);
      }
    };
  }

  void down() {
    down = true;
  }

  void up() {
    down = false;
  }

  /** The next {@code n} writes throw an {@link IllegalStateException}. */
  void crashes(int n) {
    crashes.set(n);
  }

  @Override
  public int append(List<AgentSpan> spans) {
    if (crashes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      failedCalls.incrementAndGet();
      throw new IllegalStateException("a bug in the store adapter (test)");
    }
    failIfDown();
    return store.append(spans);
  }

  private void failIfDown() {
    if (down) {
      failedCalls.incrementAndGet();
      throw new StoreException(DOWN, true, new java.net.ConnectException("Connection refused"));
    }
  }
}
