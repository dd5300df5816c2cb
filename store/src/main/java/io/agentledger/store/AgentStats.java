package io.agentledger.store;

import java.math.BigDecimal;
import java.util.List;

/**
 * One agent's activity over a time range ({@code GET /agents}).
 *
 * @param versions the agent versions seen
 */
public record AgentStats(
    String agent,
    List<String> versions,
    long chains,
    long llmCalls,
    long toolCalls,
    BigDecimal costUsd,
    long unpricedCalls) {
  /** Validates the components. */
  public AgentStats {
    versions = List.copyOf(versions);
  }
}
