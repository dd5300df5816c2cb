package io.agentledger.analyzer.anomaly;

import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import io.agentledger.store.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One project's runs of the baseline window, as {@link RunPoint}s per {@link SeriesKey}, kept
 * between cycles: each refresh reads only the runs that started since the previous one, plus the
 * last {@code lateness} again (a chain settles after it goes quiet, and a re-settled chain replaces
 * its runs), so a cycle costs the new runs, not the window.
 */
final class RunWindow {

  /** Runs read per store round trip. */
  static final int PAGE = 10_000;

  private final String project;
  private final Map<SeriesKey, List<RunPoint>> series = new HashMap<>();
  private final HourlyRates rates = new HourlyRates();
  private final Map<List<String>, List<String>> paths = new HashMap<>();
  private final Map<String, String> users = new HashMap<>();
  private @Nullable Instant readUpTo; // null until the first refresh

  RunWindow(String project) {
    this.project = project;
  }

  /**
   * Reads the runs that started in {@code [max(readUpTo − lateness, now − window), now)}, adds the
   * ones not yet held and replaces the ones held, and drops runs older than the window. The first
   * read takes in the whole window, of which only the runs of the last {@code lateness} count as
   * new: the rest is baseline.
   *
   * @return the runs read that were not held before, by series
   */
  Map<SeriesKey, List<RunSummary>> refresh(
      RunStore store, Instant now, Duration window, Duration lateness) {
    Instant windowStart = now.minus(window);
    Instant from = readUpTo == null ? windowStart : readUpTo.minus(lateness);
    if (from.isBefore(windowStart)) {
      from = windowStart;
    }
    boolean firstRead = readUpTo == null;
    Instant newFrom = firstRead ? now.minus(lateness) : Instant.MIN;
    Map<SeriesKey, List<RunSummary>> fresh = new LinkedHashMap<>();
    for (RunSummary r : read(store, from, now)) {
      SeriesKey key = SeriesKey.of(r);
      if (add(key, point(r), !firstRead) && !r.startTime().isBefore(newFrom)) {
        fresh.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      }
    }
    readUpTo = now;
    evictBefore(windowStart.getEpochSecond() * 1_000_000_000L + windowStart.getNano());
    return fresh;
  }

  /**
   * The run as held: runs share a few paths and users, so each distinct one is kept once (a window
   * of a million runs would otherwise hold a million copies of a few lists).
   */
  private RunPoint point(RunSummary r) {
    RunPoint p = RunPoint.of(r);
    return new RunPoint(
        p.traceId(),
        p.spanId(),
        p.startNanos(),
        p.values(),
        p.failed(),
        users.computeIfAbsent(p.userId(), u -> u),
        paths.computeIfAbsent(p.path(), q -> q),
        p.behaviours(),
        p.idHash());
  }

  private List<RunSummary> read(RunStore store, Instant from, Instant to) {
    List<RunSummary> out = new ArrayList<>();
    Instant at = from;
    while (at.isBefore(to)) {
      List<RunSummary> page = store.runs(project, "", "", new TimeRange(at, to), PAGE);
      out.addAll(page);
      if (page.size() < PAGE) {
        break;
      }
      Instant last = page.get(page.size() - 1).startTime();
      if (!last.isAfter(at)) { // a page of runs that all started at the same instant
        out.addAll(store.runs(project, "", "", new TimeRange(at, to), Integer.MAX_VALUE));
        break;
      }
      // The runs at the last instant are read again with the next page; add() keeps one of each.
      at = last;
    }
    return out;
  }

  /**
   * Adds a run in start order; replaces it if held. Returns whether it is new.
   *
   * @param mayHaveMoved whether the run may be held with another start (a re-settled chain): never
   *     on the first read, which sees each run once — and looking for it costs a few cache misses
   *     per run, most of a first read of a million runs
   */
  private boolean add(SeriesKey key, RunPoint point, boolean mayHaveMoved) {
    List<RunPoint> runs = series.computeIfAbsent(key, k -> new ArrayList<>());
    int i = runs.size();
    while (i > 0 && runs.get(i - 1).startNanos() > point.startNanos()) {
      i--;
    }
    for (int j = i - 1; j >= 0 && runs.get(j).startNanos() == point.startNanos(); j--) {
      if (runs.get(j).sameRun(point)) {
        runs.set(j, point);
        rates.touch(point.startNanos());
        return false;
      }
    }
    // A re-settled run whose start changed is rare; look for it among the recent runs only.
    for (int j = mayHaveMoved ? Math.max(0, runs.size() - 64) : runs.size(); j < runs.size(); j++) {
      if (runs.get(j).sameRun(point)) {
        rates.touch(runs.get(j).startNanos());
        rates.touch(point.startNanos());
        runs.remove(j);
        if (j < i) {
          i--;
        }
        runs.add(i, point);
        return false;
      }
    }
    runs.add(i, point);
    rates.touch(point.startNanos());
    return true;
  }

  private void evictBefore(long nanos) {
    series
        .values()
        .removeIf(
            runs -> {
              int k = 0;
              while (k < runs.size() && runs.get(k).startNanos() < nanos) {
                k++;
              }
              runs.subList(0, k).clear();
              return runs.isEmpty();
            });
  }

  /** The runs of a series, oldest first (a live view; do not change it). */
  List<RunPoint> runs(SeriesKey key) {
    return series.getOrDefault(key, List.of());
  }

  Collection<Map.Entry<SeriesKey, List<RunPoint>>> allSeries() {
    return series.entrySet();
  }

  /**
   * The window's runs summed per rate subject and hour, for the hours from {@code firstHour} (epoch
   * hours) on; only the hours whose runs changed since the last call are summed again.
   */
  Map<Map<String, String>, Map<Long, HourlyRates.Cell>> hourlyRates(long firstHour) {
    return rates.update(series.entrySet(), firstHour);
  }

  int seriesCount() {
    return series.size();
  }
}
