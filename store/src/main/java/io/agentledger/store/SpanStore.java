package io.agentledger.store;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where spans and everything derived from them are kept. Implementations are thread-safe: one
 * writer (the collector) and many readers (API requests, the analyzer) at the same time.
 *
 * <p>Every method takes or implies one project and never returns another project's data. Errors are
 * {@link StoreException}s, marked retryable when trying again may help.
 */
public interface SpanStore extends AutoCloseable {

  // --- writes -------------------------------------------------------------------------------

  /**
   * Stores the spans durably. Idempotent on {@code (project, traceId, spanId)}: a span already
   * stored — a replay, a retry, a duplicate within the list — is skipped and never changes a total.
   * When this returns, the spans are durable; when it throws, none or all of them may be stored
   * (the caller retries, and idempotency makes that safe).
   *
   * @return how many of the spans were new
   */
  int append(List<AgentSpan> spans);

  /**
   * Saves settled chains: their summaries (replacing earlier ones) and the per-span fields the tree
   * decides — billing role (from {@link ChainRollupResult#billingCorrections()}), attributed agent
   * (from the tree nodes) and the chain's session and user id (from the summary) — so aggregations
   * agree with the chain roll-up.
   */
  void saveRollups(List<ChainRollupResult> rollups);

  // --- chains -------------------------------------------------------------------------------

  /** Every stored span of a chain, in no particular order; empty when the chain is unknown. */
  List<AgentSpan> chainSpans(String project, String traceId);

  /** The spans of several chains of one project at once (for settling in bulk). */
  Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds);

  /** Settled chains matching the query, in its order, one page. */
  Page<ChainSummary> chains(String project, ChainQuery query);

  /** The settled summary of one chain. */
  Optional<ChainSummary> chainSummary(String project, String traceId);

  /**
   * Chains that received new spans stored after {@code after} and at or before {@code upTo} (store
   * time), at most {@code limit} of them, oldest first. The analyzer settles these.
   */
  List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit);

  // --- aggregations -------------------------------------------------------------------------

  /** Cost of billable spans grouped as asked; see {@link CostQuery}. */
  CostReport costs(String project, CostQuery query);

  /** A session's totals over its settled chains; empty when no chain has that session id. */
  Optional<SessionReport> session(String project, String sessionId);

  /** Agents with activity in the range, most expensive first. */
  List<AgentStats> agents(String project, TimeRange range);

  // --- analyzer results ---------------------------------------------------------------------

  /** Inserts or replaces anomalies (by project and id). */
  void saveAnomalies(List<Anomaly> anomalies);

  /** Anomalies detected in the range, newest first; {@code status} empty for any status. */
  List<Anomaly> anomalies(String project, TimeRange range, String status);

  /** Inserts or replaces regressions (by project and id). */
  void saveRegressions(List<Regression> regressions);

  /** Regressions detected in the range, newest first. */
  List<Regression> regressions(String project, TimeRange range);

  // --- state the pipeline keeps -------------------------------------------------------------

  /** Inserts or replaces a project's price override (by provider and model). */
  void savePriceOverride(String project, ModelPricing pricing);

  /** A project's price overrides. */
  List<ModelPricing> priceOverrides(String project);

  /** A small named value the pipeline persists (for example the analyzer's watermark). */
  Optional<String> state(String key);

  void saveState(String key, String value);

  /** Releases connections; pending writes are complete when {@link #append} has returned. */
  @Override
  void close();
}
