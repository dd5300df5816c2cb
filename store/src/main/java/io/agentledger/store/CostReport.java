package io.agentledger.store;

import io.agentledger.core.rollup.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link CostQuery}.
 *
 * @param groups one per distinct key, most expensive first
 */
public record CostReport(List<Group> groups) {

  /**
   * Validates the components and copies the groups.
   *
   * @param groups one per distinct key, most expensive first
   */
  public CostReport {
    groups = List.copyOf(groups);
  }

  /**
   * One group.
   *
   * @param key dimension api name → value ({@code ""} when the spans had none)
   * @param costUsd sum of the known costs of its billable spans, in USD
   * @param usage token usage summed over its billable spans
   * @param llmCalls billable model calls
   * @param chains distinct chains the calls belong to
   * @param unpricedCalls billable spans whose cost is unknown: when non-zero, costUsd is a lower
   *     bound
   * @param series per interval bucket, oldest first; empty without an interval
   */
  public record Group(
      Map<String, String> key,
      BigDecimal costUsd,
      UsageTotals usage,
      long llmCalls,
      long chains,
      long unpricedCalls,
      List<Bucket> series) {
    /**
     * Validates the components and copies the series.
     *
     * @param key dimension api name → value ({@code ""} when the spans had none)
     * @param costUsd sum of the known costs of its billable spans, in USD
     * @param usage token usage summed over its billable spans
     * @param llmCalls billable model calls
     * @param chains distinct chains the calls belong to
     * @param unpricedCalls billable spans whose cost is unknown: when non-zero, costUsd is a lower
     *     bound
     * @param series per interval bucket, oldest first; empty without an interval
     */
    public Group {
      key = Map.copyOf(key);
      series = List.copyOf(series);
    }

    /**
     * This group with its time series (adapters read totals and buckets in two queries).
     *
     * @param buckets the group's time series
     * @return a copy of this group with the series
     */
    public Group withSeries(List<Bucket> buckets) {
      return new Group(key, costUsd, usage, llmCalls, chains, unpricedCalls, buckets);
    }
  }

  /**
   * One interval bucket of a group (buckets without calls are omitted).
   *
   * @param start the bucket's start, aligned to the epoch
   * @param costUsd sum of the known costs of the bucket's billable spans, in USD
   * @param usage token usage summed over the bucket's billable spans
   * @param llmCalls billable model calls in the bucket
   */
  public record Bucket(Instant start, BigDecimal costUsd, UsageTotals usage, long llmCalls) {}
}
