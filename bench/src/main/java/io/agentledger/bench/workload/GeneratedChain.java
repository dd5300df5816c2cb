package io.agentledger.bench.workload;

import io.opentelemetry.proto.trace.v1.Span;
import java.math.BigDecimal;
import java.util.List;

/**
 * One generated chain and what it spent.
 *
 * @param traceId hex
 * @param spans its spans, parents before children
 * @param costUsd what its model calls cost at the bundled catalog's prices, each counted once
 * @param llmCalls model calls in it (roll-up wrappers not counted)
 */
public record GeneratedChain(String traceId, List<Span> spans, BigDecimal costUsd, int llmCalls) {
  public GeneratedChain {
    spans = List.copyOf(spans);
  }
}
