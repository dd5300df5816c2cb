package io.agentledger.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cost aggregation: billable spans whose start lies in {@code range}, grouped by the dimensions,
 * optionally also bucketed by {@code interval} (buckets aligned to the epoch).
 *
 * @param range spans whose start lies in this range; required
 * @param groupBy the dimensions to group by, each at most once; empty for one total group
 * @param interval the time-series bucket size, a whole number of minutes; null or empty for no
 *     series
 */
public record CostQuery(TimeRange range, List<CostDimension> groupBy, Optional<Duration> interval) {

  /** The smallest time-series bucket. */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  /**
   * Validates the components.
   *
   * @param range spans whose start lies in this range; required
   * @param groupBy the dimensions to group by, each at most once; empty for one total group
   * @param interval the time-series bucket size, a whole number of minutes; null or empty for no
   *     series
   */
  public CostQuery {
    Objects.requireNonNull(range, "range");
    groupBy = List.copyOf(groupBy);
    if (groupBy.stream().distinct().count() != groupBy.size()) {
      throw new IllegalArgumentException("groupBy names a dimension twice");
    }
    interval = interval == null ? Optional.empty() : interval;
    interval.ifPresent(
        i -> {
          if (i.compareTo(MIN_INTERVAL) < 0 || i.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException("interval must be a whole number of minutes");
          }
        });
  }
}
