package io.agentledger.analyzer.settle;

import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import java.util.List;

/**
 * A chain as settlement sees it: every stored span and the roll-up computed from them.
 *
 * @param spans the chain's spans, in no particular order
 * @param rollup the chain's summary, per-agent and per-model costs, and cost tree
 */
public record SettledChain(List<AgentSpan> spans, ChainRollupResult rollup) {
  public SettledChain {
    spans = List.copyOf(spans);
  }

  /** The chain's trace id. */
  public String traceId() {
    return rollup.summary().traceId();
  }
}
