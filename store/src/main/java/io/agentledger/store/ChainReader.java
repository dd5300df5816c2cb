package io.agentledger.store;

import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading chains: their spans, and the summaries of settled chains. */
public interface ChainReader {

  /** Every stored span of a chain, in no particular order; empty when the chain is unknown. */
  default List<AgentSpan> chainSpans(String project, String traceId) {
    return chainSpans(project, List.of(traceId)).getOrDefault(traceId, List.of());
  }

  /**
   * The spans of several chains of one project at once (for settling in bulk), by trace id; chains
   * with no stored span are absent.
   */
  Map<String, List<AgentSpan>> chainSpans(String project, Collection<String> traceIds);

  /**
   * Settled chains matching the query, in its order, one page.
   *
   * @throws IllegalArgumentException when the query's cursor was not issued for its order
   */
  Page<ChainSummary> chains(String project, ChainQuery query);

  /** The settled summary of one chain; empty when the chain is unknown or not settled yet. */
  Optional<ChainSummary> chainSummary(String project, String traceId);
}
