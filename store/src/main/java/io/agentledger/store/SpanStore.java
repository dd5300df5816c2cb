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
   * @param spans the spans, possibly repeated from an earlier call
   */
  int append(List<AgentSpan> spans);

  /**
   * Saves settled chains: their summaries (replacing earlier ones) and the per-span fields the tree
   * decides — billing role (from {@link ChainRollupResult#billingCorrections()}), attributed agent
   * (from the tree nodes) and the chain's session and user id (from the summary) — so aggregations
   * agree with the chain roll-up.
   *
   * @param rollups the roll-ups
   */
  void saveRollups(List<ChainRollupResult> rollups);

  // --- chains -------------------------------------------------------------------------------

  /**
   * Every stored span of a chain, in no particular order; empty when the chain is unknown.
   *
   * @param project the project (tenant)
   * @param traceId the chain's trace id
   * @return the spans
   */
  List<AgentSpan> chainSpans(String project, String traceId);

  /**
   * The spans of several chains of one project at once (for settling in bulk).
   *
   * @param project the project (tenant)
   * @param traceIds the chains' trace ids
   * @return trace id to spans, for the chains found
   */
  Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds);

  /**
   * Settled chains matching the query, in its order, one page.
   *
   * @param project the project (tenant)
   * @param query filters, order, page size and cursor
   * @return one page
   */
  Page<ChainSummary> chains(String project, ChainQuery query);

  /**
   * The settled summary of one chain.
   *
   * @param project the project (tenant)
   * @param traceId the chain's trace id
   * @return the summary, or empty when the chain is unknown or not settled
   */
  Optional<ChainSummary> chainSummary(String project, String traceId);

  /**
   * Chains that received new spans stored after {@code after} and at or before {@code upTo} (store
   * time), at most {@code limit} of them, oldest first. The analyzer settles these.
   *
   * @param after exclusive lower bound of the last activity
   * @param upTo inclusive upper bound of the last activity
   * @param limit the most chains to return
   * @return the chains, oldest activity first
   */
  List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit);

  // --- aggregations -------------------------------------------------------------------------

  /**
   * Cost of billable spans grouped as asked; see {@link CostQuery}.
   *
   * @param project the project (tenant)
   * @param query the range, grouping and filters
   * @return the report
   */
  CostReport costs(String project, CostQuery query);

  /**
   * A session's totals over its settled chains; empty when no chain has that session id.
   *
   * @param project the project (tenant)
   * @param sessionId the session id
   * @return the report
   */
  Optional<SessionReport> session(String project, String sessionId);

  /**
   * Agents with activity in the range, most expensive first.
   *
   * @param project the project (tenant)
   * @param range the time range
   * @return the agents
   */
  List<AgentStats> agents(String project, TimeRange range);

  // --- analyzer results ---------------------------------------------------------------------

  /**
   * Inserts or replaces anomalies (by project and id).
   *
   * @param anomalies the anomalies
   */
  void saveAnomalies(List<Anomaly> anomalies);

  /**
   * Anomalies detected in the range, newest first; {@code status} empty for any status.
   *
   * @param project the project (tenant)
   * @param range the time range
   * @param status the status to match, or empty for any
   * @return the anomalies
   */
  List<Anomaly> anomalies(String project, TimeRange range, String status);

  /**
   * Inserts or replaces regressions (by project and id).
   *
   * @param regressions the regressions
   */
  void saveRegressions(List<Regression> regressions);

  /**
   * Regressions detected in the range, newest first.
   *
   * @param project the project (tenant)
   * @param range the time range
   * @return the regressions
   */
  List<Regression> regressions(String project, TimeRange range);

  // --- state the pipeline keeps -------------------------------------------------------------

  /**
   * Inserts or replaces a project's price override (by provider and model).
   *
   * @param project the project (tenant)
   * @param pricing the override
   */
  void savePriceOverride(String project, ModelPricing pricing);

  /**
   * A project's price overrides.
   *
   * @param project the project (tenant)
   * @return the overrides
   */
  List<ModelPricing> priceOverrides(String project);

  /**
   * A small named value the pipeline persists (for example the analyzer's watermark).
   *
   * @param key the name
   * @return the value, or empty when never saved
   */
  Optional<String> state(String key);

  /**
   * Saves a small named value; see {@link #state}.
   *
   * @param key the name
   * @param value the value
   */
  void saveState(String key, String value);

  /** Releases connections; pending writes are complete when {@link #append} has returned. */
  @Override
  void close();
}
