package io.agentledger.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of an agent, derived once when its chain settles: what aggregated paths and the detectors
 * read instead of span trees. A run is one invocation of an agent — an agent span, or the chain's
 * root when the chain has no agent span — and its steps are what happened beneath it, a nested
 * agent's own steps excluded (the nested agent is one step of the outer run and a run of its own).
 *
 * @param project the project (tenant)
 * @param traceId the chain the run belongs to
 * @param spanId the span of the agent invocation (the root span for a chain without agent spans)
 * @param agent the agent's name; empty when the chain names no agent
 * @param agentVersion {@code gen_ai.agent.version}, else {@code service.version}; may be empty
 * @param service the service that ran it
 * @param userId the end user, when known; may be empty
 * @param sessionId the conversation, when known; may be empty
 * @param startTime when the run started
 * @param durationMs how long it took, in milliseconds
 * @param costUsd inclusive cost of the run, in USD
 * @param costComplete false when a cost-bearing span beneath it has no known cost
 * @param inputTokens input tokens of its model calls (nested agents included)
 * @param outputTokens output tokens of its model calls (nested agents included)
 * @param llmCalls model calls
 * @param toolCalls tool executions
 * @param errors spans with error status
 * @param retries retried operations
 * @param models the models its calls used, most expensive first
 * @param path the run's steps in order, as {@code kind:name} with repeats collapsed ({@code
 *     tool:search ×3}); see the analyzer's path rules
 * @param behaviours behaviours seen in the run that detectors report (e.g. {@code tool_loop} → the
 *     tool and wasted cost), as strings; null is read as empty
 */
public record RunSummary(
    String project,
    String traceId,
    String spanId,
    String agent,
    String agentVersion,
    String service,
    String userId,
    String sessionId,
    Instant startTime,
    long durationMs,
    BigDecimal costUsd,
    boolean costComplete,
    long inputTokens,
    long outputTokens,
    int llmCalls,
    int toolCalls,
    int errors,
    int retries,
    List<String> models,
    List<String> path,
    Map<String, String> behaviours) {

  /**
   * Checks the keys and copies the collections.
   *
   * @param project the project (tenant)
   * @param traceId the chain the run belongs to
   * @param spanId the span of the agent invocation
   * @param agent the agent's name
   * @param agentVersion the agent's version
   * @param service the service that ran it
   * @param userId the end user
   * @param sessionId the conversation
   * @param startTime when the run started
   * @param durationMs how long it took, in milliseconds
   * @param costUsd inclusive cost of the run, in USD
   * @param costComplete false when a cost beneath it is unknown
   * @param inputTokens input tokens
   * @param outputTokens output tokens
   * @param llmCalls model calls
   * @param toolCalls tool executions
   * @param errors spans with error status
   * @param retries retried operations
   * @param models the models used
   * @param path the run's steps
   * @param behaviours behaviours seen in the run; null is read as empty
   */
  public RunSummary {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(costUsd, "costUsd");
    models = List.copyOf(models);
    path = List.copyOf(path);
    behaviours = behaviours == null ? Map.of() : Map.copyOf(behaviours);
  }

  /**
   * The number of steps, repeats counted: {@code tool:search ×3} is three.
   *
   * @return the step count
   */
  public int steps() {
    int n = 0;
    for (String step : path) {
      int times = step.lastIndexOf(" ×");
      n += times < 0 ? 1 : Integer.parseInt(step.substring(times + 2));
    }
    return n;
  }
}
