package io.agentledger.store;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cost aggregation: billable spans whose start lies in {@code range} and whose dimensions equal
 * the {@code where} values, grouped by the dimensions, optionally also bucketed by {@code interval}
 * (buckets aligned to the epoch).
 *
 * @param range spans whose start lies in this range; required
 * @param groupBy the dimensions to group by, each at most once; empty for one total group
 * @param interval the time-series bucket size, a whole number of minutes; null or empty for no
 *     series
 * @param where only spans whose value of each of these dimensions equals the given one (the value a
 *     group key shows, e.g. {@code agentVersion} → {@code 2.0}); empty for all spans
 */
public record CostQuery(
    TimeRange range,
    List<CostDimension> groupBy,
    Optional<Duration> interval,
    Map<CostDimension, String> where) {

  /** The smallest time-series bucket. */
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  /**
   * Validates the components.
   *
   * @param range spans whose start lies in this range; required
   * @param groupBy the dimensions to group by, each at most once; empty for one total group
   * @param interval the time-series bucket size, a whole number of minutes; null or empty for no
   *     series
   * @param where only spans whose value of each of these dimensions equals the given one; empty for
   *     all spans
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
    where = where.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(where));
  }

  /**
   * A query over all billable spans of the range.
   *
   * @param range spans whose start lies in this range; required
   * @param groupBy the dimensions to group by, each at most once; empty for one total group
   * @param interval the time-series bucket size, a whole number of minutes; null or empty for no
   *     series
   */
  public CostQuery(TimeRange range, List<CostDimension> groupBy, Optional<Duration> interval) {
    this(range, groupBy, interval, Map.of());
  }
}
