package io.agentledger.store;

import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading chains: their spans, and the summaries of settled chains. */
public interface ChainReader {

  /**
   * Every stored span of a chain, in no particular order; empty when the chain is unknown.
   *
   * @param project the project (tenant)
   * @param traceId the chain's trace id
   * @return the spans
   */
  default List<AgentSpan> chainSpans(String project, String traceId) {
    return chainSpans(project, List.of(traceId)).getOrDefault(traceId, List.of());
  }

  /**
   * The spans of several chains of one project at once (for settling in bulk), by trace id; chains
   * with no stored span are absent.
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
   * @throws IllegalArgumentException when the query's cursor was not issued for its order
   */
  Page<ChainSummary> chains(String project, ChainQuery query);

  /**
   * The settled summary of one chain; empty when the chain is unknown or not settled yet.
   *
   * @param project the project (tenant)
   * @param traceId the chain's trace id
   * @return the summary, or empty
   */
  Optional<ChainSummary> chainSummary(String project, String traceId);
}
