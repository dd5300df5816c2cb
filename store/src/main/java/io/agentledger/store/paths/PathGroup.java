package io.agentledger.store.paths;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The runs of an agent that took one and the same path, summarized: what an adapter answers for a
 * path query, one row per distinct path, so the prefix tree is built from a few dozen groups
 * instead of every run.
 *
 * @param path the steps, as {@link io.agentledger.store.RunSummary#path()}
 * @param runs how many runs took it
 * @param errorRuns how many of them had at least one error
 * @param costUsd their summed inclusive cost, in USD
 * @param durationMs their summed duration, in milliseconds
 * @param cost the distribution of their cost, in USD
 * @param duration the distribution of their duration, in milliseconds
 * @param exampleTraceIds a few of their chains: the latest run's, the most expensive's, the
 *     slowest's (see {@link #examples})
 */
public record PathGroup(
    List<String> path,
    long runs,
    long errorRuns,
    BigDecimal costUsd,
    long durationMs,
    LogHistogram cost,
    LogHistogram duration,
    List<String> exampleTraceIds) {

  /** How many example trace ids a group (and a tree node) carries at most. */
  public static final int EXAMPLES = 3;

  /**
   * Copies the lists.
   *
   * @param path the steps
   * @param runs how many runs took it
   * @param errorRuns how many of them had an error
   * @param costUsd their summed cost, in USD
   * @param durationMs their summed duration, in milliseconds
   * @param cost the distribution of their cost
   * @param duration the distribution of their duration
   * @param exampleTraceIds a few of their chains
   */
  public PathGroup {
    path = List.copyOf(path);
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(duration, "duration");
    exampleTraceIds = List.copyOf(exampleTraceIds);
  }

  /**
   * The example chains of a group, each once, in the order given: adapters pick the chains of the
   * latest, the most expensive and the slowest run, which aggregate cheaply and are the ones worth
   * opening.
   *
   * @param traceIds candidate chains; null and empty ones are skipped
   * @return at most {@link #EXAMPLES} distinct chains
   */
  public static List<String> examples(@Nullable String... traceIds) {
    List<String> out = new ArrayList<>(EXAMPLES);
    for (String id : traceIds) {
      if (id != null && !id.isEmpty() && !out.contains(id) && out.size() < EXAMPLES) {
        out.add(id);
      }
    }
    return out;
  }
}
