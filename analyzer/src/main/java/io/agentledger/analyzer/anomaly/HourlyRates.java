package io.agentledger.analyzer.anomaly;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A {@link RunWindow}'s runs summed per hour and rate subject (per agent, per model, per user):
 * what {@link RateDetector} judges. Kept with the window and brought up to date only for the hours
 * whose runs changed since ({@link #touch}), so judging an hour costs the runs of the hours that
 * changed and one cell per subject and hour, not a scan of the whole window: at 10,000 series the
 * window holds over a million runs, and it used to be summed again every hour.
 */
final class HourlyRates {

  static final long HOUR_NANOS = 3_600_000_000_000L;

  /** The sums of one subject's runs in one hour. */
  static final class Cell {
    double spend;
    double runs;
    double failed;
    double costSquares;

    void add(RunPoint r) {
      double cost = r.value(RunMetric.COST_USD);
      spend += cost;
      runs += 1;
      failed += r.failed() ? 1 : 0;
      costSquares += cost * cost;
    }
  }

  private final Map<Map<String, String>, Map<Long, Cell>> bySubject = new LinkedHashMap<>();
  private final TreeSet<Long> stale = new TreeSet<>();

  private long lastTouched = Long.MIN_VALUE;

  /** Marks the hour a run starts in (epoch nanoseconds) as changed. */
  void touch(long startNanos) {
    long hour = hourOf(startNanos);
    if (hour != lastTouched) { // runs are read in start order: most follow one of the same hour
      stale.add(hour);
      lastTouched = hour;
    }
  }

  static long hourOf(long nanos) {
    return Math.floorDiv(nanos, HOUR_NANOS);
  }

  /**
   * Sums the changed hours again from {@code series} (each series' runs oldest first) and forgets
   * the hours before {@code first}.
   *
   * @return each subject's cells by epoch hour (a live view; do not change it)
   */
  Map<Map<String, String>, Map<Long, Cell>> update(
      Collection<Map.Entry<SeriesKey, List<RunPoint>>> series, long first) {
    if (!stale.isEmpty()) {
      for (Map<Long, Cell> cells : bySubject.values()) {
        if (cells.size() < stale.size()) {
          cells.keySet().removeIf(stale::contains);
        } else {
          stale.forEach(cells::remove);
        }
      }
      long from = stale.first() * HOUR_NANOS;
      Map<String, Map<String, String>> users = new HashMap<>();
      for (Map.Entry<SeriesKey, List<RunPoint>> e : series) {
        List<RunPoint> runs = e.getValue();
        Map<String, String> agent = subject("agent", e.getKey().agent());
        Map<String, String> model = subject("model", e.getKey().model());
        for (int i = firstAtOrAfter(runs, from); i < runs.size(); i++) {
          RunPoint r = runs.get(i);
          long hour = hourOf(r.startNanos());
          if (!stale.contains(hour)) {
            continue;
          }
          add(agent, hour, r);
          add(model, hour, r);
          if (!r.userId().isEmpty()) {
            add(users.computeIfAbsent(r.userId(), u -> Map.of("userId", u)), hour, r);
          }
        }
      }
      stale.clear();
      lastTouched = Long.MIN_VALUE;
    }
    bySubject
        .values()
        .removeIf(
            cells -> {
              cells.keySet().removeIf(h -> h < first);
              return cells.isEmpty();
            });
    return bySubject;
  }

  private static Map<String, String> subject(String dimension, String value) {
    return value.isEmpty() ? Map.of() : Map.of(dimension, value);
  }

  private void add(Map<String, String> subject, long hour, RunPoint r) {
    if (subject.isEmpty()) {
      return;
    }
    bySubject
        .computeIfAbsent(subject, s -> new HashMap<>())
        .computeIfAbsent(hour, h -> new Cell())
        .add(r);
  }

  /** The index of the first run that starts at or after {@code nanos} (runs oldest first). */
  static int firstAtOrAfter(List<RunPoint> runs, long nanos) {
    int lo = 0;
    int hi = runs.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (runs.get(mid).startNanos() < nanos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
