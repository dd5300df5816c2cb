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
 * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
 */
public record AgentStats(
    String agent,
    List<String> versions,
    long chains,
    long llmCalls,
    long toolCalls,
    BigDecimal costUsd,
    long unpricedCalls,
    BigDecimal toolCostUsd) {
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
   * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
   */
  public AgentStats {
    versions = List.copyOf(versions);
  }

  /**
   * An agent's activity without tool costs.
   *
   * @param agent the agent name
   * @param versions its versions
   * @param chains its chains
   * @param llmCalls its model calls
   * @param toolCalls its tool calls
   * @param costUsd its cost
   * @param unpricedCalls its spans of unknown cost
   */
  public AgentStats(
      String agent,
      List<String> versions,
      long chains,
      long llmCalls,
      long toolCalls,
      BigDecimal costUsd,
      long unpricedCalls) {
    this(agent, versions, chains, llmCalls, toolCalls, costUsd, unpricedCalls, BigDecimal.ZERO);
  }
}
