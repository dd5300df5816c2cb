package io.agentledger.store;

import java.math.BigDecimal;
import java.util.List;

/**
 * One agent's activity over a time range ({@code GET /agents}).
 *
 * @param agent the agent name spans are attributed to (never empty)
 * @param versions the distinct non-empty versions the agent reported, sorted
 * @param chains distinct chains (traces) the agent's spans belong to
 * @param llmCalls billable model calls (LLM and embedding) attributed to the agent
 * @param toolCalls tool calls attributed to the agent
 * @param costUsd sum of the known costs of its billable spans, in USD; zero when none is known
 * @param unpricedCalls billable spans whose cost is unknown: when non-zero, costUsd is a lower
 *     bound
 */
public record AgentStats(
    String agent,
    List<String> versions,
    long chains,
    long llmCalls,
    long toolCalls,
    BigDecimal costUsd,
    long unpricedCalls) {
  /**
   * Validates the components.
   *
   * @param agent the agent name spans are attributed to (never empty)
   * @param versions the distinct non-empty versions the agent reported, sorted
   * @param chains distinct chains (traces) the agent's spans belong to
   * @param llmCalls billable model calls (LLM and embedding) attributed to the agent
   * @param toolCalls tool calls attributed to the agent
   * @param costUsd sum of the known costs of its billable spans, in USD; zero when none is known
   * @param unpricedCalls billable spans whose cost is unknown: when non-zero, costUsd is a lower
   *     bound
   */
  public AgentStats {
    versions = List.copyOf(versions);
  }
}
