package io.agentledger.store.paths;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A mergeable quantile summary: counts per fixed log-scale bucket, plus the smallest and largest
 * value. A positive value {@code x} falls in bucket {@code floor(8 * log2(x))} (eight buckets per
 * doubling, so a bucket spans 9 %); zero and negative values fall in {@link #ZERO_BUCKET}. Adapters
 * store each run's bucket ({@link #bucketOf}) and count runs per bucket in SQL, so histograms of
 * any number of runs travel as a few dozen counts and merge by adding them.
 *
 * <p>A quantile is the nearest-rank bucket's geometric midpoint, clamped to [min, max]: within 4.5
 * % of the exact value, and exact for the smallest and largest value and when all values are equal.
 *
 * @param buckets count per bucket index, in index order
 * @param min the smallest value counted (0 when empty)
 * @param max the largest value counted (0 when empty)
 */
public record LogHistogram(NavigableMap<Integer, Long> buckets, double min, double max) {

  /** Buckets per doubling of the value. */
  public static final int PER_DOUBLING = 8;

  /** The bucket of zero and negative values. */
  public static final int ZERO_BUCKET = -1_000_000;

  /** No values. */
  public static final LogHistogram EMPTY = new LogHistogram(new TreeMap<>(), 0, 0);

  /**
   * Copies the buckets.
   *
   * @param buckets count per bucket index
   * @param min the smallest value counted
   * @param max the largest value counted
   */
  public LogHistogram {
    buckets =
        Collections.unmodifiableNavigableMap(
            new TreeMap<>(Objects.requireNonNull(buckets, "buckets")));
  }

  /**
   * A histogram of the given values (tests, and what the SQL computes, written in Java).
   *
   * @param values the values
   * @return their histogram
   */
  public static LogHistogram of(double... values) {
    TreeMap<Integer, Long> counts = new TreeMap<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      counts.merge(bucketOf(v), 1L, Long::sum);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return values.length == 0 ? EMPTY : new LogHistogram(counts, lo, hi);
  }

  /**
   * The bucket a value falls in.
   *
   * @param value the value
   * @return its bucket index
   */
  public static int bucketOf(double value) {
    return value > 0
        ? (int) Math.floor(PER_DOUBLING * (Math.log(value) / Math.log(2)))
        : ZERO_BUCKET;
  }

  /**
   * How many values were counted.
   *
   * @return the count
   */
  public long count() {
    long n = 0;
    for (long c : buckets.values()) {
      n += c;
    }
    return n;
  }

  /**
   * Both histograms' values together.
   *
   * @param other another histogram
   * @return the merged histogram
   */
  public LogHistogram merge(LogHistogram other) {
    if (other.buckets.isEmpty()) {
      return this;
    }
    if (buckets.isEmpty()) {
      return other;
    }
    TreeMap<Integer, Long> sum = new TreeMap<>(buckets);
    other.buckets.forEach((bucket, count) -> sum.merge(bucket, count, Long::sum));
    return new LogHistogram(sum, Math.min(min, other.min), Math.max(max, other.max));
  }

  /**
   * The value at quantile {@code q} (nearest rank), approximated as described above; 0 when empty.
   *
   * @param q between 0 and 1
   * @return the approximate quantile
   */
  public double quantile(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("quantile must be within 0..1: " + q);
    }
    long n = count();
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    if (rank == n) {
      return max; // the extremes are known exactly
    }
    if (rank == 1) {
      return min;
    }
    long seen = 0;
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        return Math.min(max, Math.max(min, midpoint(e.getKey())));
      }
    }
    return max;
  }

  private static double midpoint(int bucket) {
    return bucket == ZERO_BUCKET ? 0 : Math.pow(2, (bucket + 0.5) / PER_DOUBLING);
  }
}
