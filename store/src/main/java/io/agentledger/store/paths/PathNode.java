package io.agentledger.store.paths;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A branch of an agent's path tree: the runs whose paths begin with the steps from the root to
 * here. Cost, duration and errors are those of these whole runs (not of this step alone), so a
 * branch shows what runs that went this way cost and how long they took.
 *
 * @param step {@code kind:name} ({@code tool:search ×3} for a collapsed repeat); the root's is the
 *     agent ({@code agent:name}); {@value PathTrees#OTHER} for branches folded together
 * @param runs the runs that went this way
 * @param share those runs as a fraction of all runs in the tree (the root's is 1)
 * @param costUsd the runs' mean and 95th-percentile cost, in USD
 * @param durationMs the runs' mean and 95th-percentile duration, in milliseconds
 * @param errorRate the fraction of the runs with at least one error
 * @param exampleTraceIds a few chains that went this way
 * @param shareDelta with a comparison: the branch's share in the version asked for minus its share
 *     in the compared version (the same number on both trees); null without a comparison
 * @param children the next steps, most runs first, {@value PathTrees#OTHER} last
 */
public record PathNode(
    String step,
    long runs,
    double share,
    Measure costUsd,
    Measure durationMs,
    double errorRate,
    List<String> exampleTraceIds,
    @Nullable Double shareDelta,
    List<PathNode> children) {

  /**
   * Copies the lists.
   *
   * @param step the step
   * @param runs the runs that went this way
   * @param share their fraction of all runs
   * @param costUsd their cost
   * @param durationMs their duration
   * @param errorRate the fraction with an error
   * @param exampleTraceIds a few of their chains
   * @param shareDelta the share's change against the compared version, or null
   * @param children the next steps
   */
  public PathNode {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(durationMs, "durationMs");
    exampleTraceIds = List.copyOf(exampleTraceIds);
    children = List.copyOf(children);
  }

  /**
   * The child with this step, if any.
   *
   * @param step the child's step
   * @return the child, or null
   */
  public @Nullable PathNode child(String step) {
    for (PathNode c : children) {
      if (c.step.equals(step)) {
        return c;
      }
    }
    return null;
  }

  /**
   * A mean and a 95th percentile.
   *
   * @param mean the exact mean
   * @param p95 the 95th percentile, within 4.5 % ({@link LogHistogram})
   */
  public record Measure(BigDecimal mean, BigDecimal p95) {

    /**
     * Checks both are there.
     *
     * @param mean the mean
     * @param p95 the 95th percentile
     */
    public Measure {
      Objects.requireNonNull(mean, "mean");
      Objects.requireNonNull(p95, "p95");
    }
  }
}
