package io.agentledger.collector;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.AgentStats;
import io.agentledger.store.Anomaly;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.ChainRef;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.Page;
import io.agentledger.store.Regression;
import io.agentledger.store.SessionReport;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TimeRange;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The real store with a gate in front of {@link #append}: while the gate is closed, writes wait, as
 * they would on a store that has fallen behind. Everything else passes straight through.
 */
final class GatedStore implements SpanStore {

  private final SpanStore store;
  private volatile CountDownLatch gate = new CountDownLatch(1);

  GatedStore(SpanStore store) {
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

  @Override
  public void saveRollups(List<ChainRollupResult> rollups) {
    store.saveRollups(rollups);
  }

  @Override
  public List<AgentSpan> chainSpans(String project, String traceId) {
    return store.chainSpans(project, traceId);
  }

  @Override
  public Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds) {
    return store.chainSpans(project, traceIds);
  }

  @Override
  public Page<ChainSummary> chains(String project, ChainQuery query) {
    return store.chains(project, query);
  }

  @Override
  public Optional<ChainSummary> chainSummary(String project, String traceId) {
    return store.chainSummary(project, traceId);
  }

  @Override
  public List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit) {
    return store.chainsTouched(after, upTo, limit);
  }

  @Override
  public CostReport costs(String project, CostQuery query) {
    return store.costs(project, query);
  }

  @Override
  public Optional<SessionReport> session(String project, String sessionId) {
    return store.session(project, sessionId);
  }

  @Override
  public List<AgentStats> agents(String project, TimeRange range) {
    return store.agents(project, range);
  }

  @Override
  public void saveAnomalies(List<Anomaly> anomalies) {
    store.saveAnomalies(anomalies);
  }

  @Override
  public List<Anomaly> anomalies(String project, TimeRange range, String status) {
    return store.anomalies(project, range, status);
  }

  @Override
  public void saveRegressions(List<Regression> regressions) {
    store.saveRegressions(regressions);
  }

  @Override
  public List<Regression> regressions(String project, TimeRange range) {
    return store.regressions(project, range);
  }

  @Override
  public void savePriceOverride(String project, ModelPricing pricing) {
    store.savePriceOverride(project, pricing);
  }

  @Override
  public List<ModelPricing> priceOverrides(String project) {
    return store.priceOverrides(project);
  }

  @Override
  public Optional<String> state(String key) {
    return store.state(key);
  }

  @Override
  public void saveState(String key, String value) {
    store.saveState(key, value);
  }

  @Override
  public void close() {
    open();
    store.close();
  }
}
