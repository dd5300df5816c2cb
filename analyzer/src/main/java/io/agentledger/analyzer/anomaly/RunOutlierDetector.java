package io.agentledger.analyzer.anomaly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs far from their series' usual, per metric: every new run is scored against a {@link
 * RobustBand} of the series' runs in the baseline window before the hour the judged runs begin in
 * (at least {@code minBaseline} of them). A key is anomalous when a new run is beyond twice the
 * threshold (critical), when {@value #MIN_FLAGGED} of {@value #RECENT} consecutive runs ending at a
 * new run are outside the band on the same side — one run in a few thousand is outside a 3.5 band
 * by chance, two of five almost never — or when the median of those five is {@link #MEDIAN_SCORE}
 * out (a whole series shifted, each run perhaps just inside). It is clear when the last {@value
 * #CLEAR_RUNS} runs are all inside. Steps count only upwards, as {@code excessive_steps}; the other
 * metrics both ways, as {@code run_outlier}.
 *
 * <p>Stateless between cycles: the runs judged and the baseline are read from the window, so every
 * analyzer instance, and one restarted, reaches the same conclusion.
 */
final class RunOutlierDetector {

  static final String KIND = "run_outlier";
  static final String STEPS_KIND = "excessive_steps";
  static final int RECENT = 5;
  static final int MIN_FLAGGED = 2;

  /**
   * The score the median of {@value #RECENT} consecutive runs must reach: 5 standard deviations of
   * such a median (0.5605 of one run's), so chance alone gets there about once in 10^7 windows.
   */
  static final double MEDIAN_SCORE = 5 * 0.5605;

  static final int CLEAR_RUNS = 3;
  static final int MAX_BASELINE = 2_000;

  /** Most runs of a series judged in one cycle (the newest); a larger burst is judged in part. */
  static final int MAX_JUDGED = 1_000;

  private static final int MAX_EXAMPLES = 5;

  private final DetectionSettings settings;

  RunOutlierDetector(DetectionSettings settings) {
    this.settings = settings;
  }

  /** A series' bands, kept while its baseline stays the same. */
  private record Bands(long baselineEnd, int runs, RobustBand[] byMetric) {}

  private record CacheKey(String project, SeriesKey series) {}

  private final Map<CacheKey, Bands> bands = new HashMap<>();

  /**
   * The observations of one series whose runs changed this cycle. The baseline is the runs of the
   * window that ends at the hour the recent runs begin in (at most {@value #MAX_BASELINE} of them):
   * a function of the data alone, so every instance judges alike, and its bands are computed once
   * an hour rather than every cycle.
   */
  List<Observation> detect(String project, SeriesKey key, List<RunPoint> runs, int fresh) {
    if (runs.size() < RECENT + settings.minBaseline()) {
      return List.of();
    }
    int judged = Math.min(MAX_JUDGED, Math.max(RECENT, fresh + RECENT - 1));
    int recentFrom = Math.max(0, runs.size() - judged);
    long hour = 3_600_000_000_000L;
    long baselineEnd = Math.floorDiv(runs.get(recentFrom).startNanos(), hour) * hour;
    long baselineStart = baselineEnd - settings.window().toNanos();
    int end = recentFrom;
    while (end > 0 && runs.get(end - 1).startNanos() >= baselineEnd) {
      end--;
    }
    int from = end;
    while (from > 0
        && end - from < MAX_BASELINE
        && runs.get(from - 1).startNanos() >= baselineStart) {
      from--;
    }
    int n = end - from;
    if (n < settings.minBaseline()) {
      return List.of();
    }
    CacheKey cacheKey = new CacheKey(project, key);
    Bands cached = bands.get(cacheKey);
    if (cached == null || cached.baselineEnd() != baselineEnd || cached.runs() != n) {
      RobustBand[] byMetric = new RobustBand[RunMetric.values().length];
      // Each run read once for every metric: the runs are scattered in memory.
      double[][] baseline = new double[RunMetric.values().length][n];
      for (int i = 0; i < n; i++) {
        double[] values = runs.get(from + i).values();
        for (int m = 0; m < values.length; m++) {
          baseline[m][i] = values[m];
        }
      }
      for (RunMetric m : RunMetric.values()) {
        byMetric[m.ordinal()] =
            RobustBand.of(baseline[m.ordinal()], settings.floors(m), settings.threshold(), true);
      }
      cached = new Bands(baselineEnd, n, byMetric);
      bands.put(cacheKey, cached);
    }
    List<Observation> out = new ArrayList<>();
    for (RunMetric m : RunMetric.values()) {
      Observation o =
          judge(
              key,
              m,
              cached.byMetric()[m.ordinal()],
              runs.subList(recentFrom, runs.size()),
              Math.min(fresh, runs.size() - recentFrom),
              n);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
  }

  /** Forgets the bands of series no longer held. */
  void retain(String project, java.util.function.Predicate<SeriesKey> held) {
    bands.keySet().removeIf(k -> k.project().equals(project) && !held.test(k.series()));
  }

  /**
   * Anomalous, clear, or null while undecided (a recent run outside, but not enough of them). Every
   * window of {@value #RECENT} consecutive runs that ends at a new run is looked at, so a burst of
   * runs between two cycles is judged run by run.
   *
   * @param runs the runs judged, oldest first: the new ones last, with the runs before them
   * @param fresh how many of them (the last) are new
   */
  private @Nullable Observation judge(
      SeriesKey key,
      RunMetric m,
      RobustBand band,
      List<RunPoint> runs,
      int fresh,
      int baselineRuns) {
    boolean upOnly = m == RunMetric.STEPS;
    String kind = upOnly ? STEPS_KIND : KIND;
    int size = runs.size();
    int[] side = new int[size];
    double[] score = new double[size];
    double[] all = new double[size];
    boolean[] beyondFloors = new boolean[size];
    for (int i = 0; i < size; i++) {
      double x = runs.get(i).value(m);
      all[i] = band.score(x);
      beyondFloors[i] = Math.abs(x - band.center()) > band.floorHalfWidth();
      if (band.anomalous(x) && !(upOnly && x < band.center())) {
        side[i] = x > band.center() ? 1 : -1;
        score[i] = all[i];
      }
    }
    boolean[] in = new boolean[size];
    boolean any = false;
    for (int j = Math.max(size - fresh, 0); j < size; j++) {
      if (side[j] != 0 && Math.abs(score[j]) >= 2 * band.threshold()) {
        in[j] = true;
        any = true;
      }
      int from = Math.max(0, j - RECENT + 1);
      // A window is judged for its newest run: older runs give context, never a verdict again.
      for (int dir : new int[] {1, -1}) {
        if (side[j] != dir) {
          continue;
        }
        int count = 0;
        for (int i = from; i <= j; i++) {
          count += side[i] == dir ? 1 : 0;
        }
        if (count >= MIN_FLAGGED) {
          for (int i = from; i <= j; i++) {
            in[i] |= side[i] == dir;
          }
          any = true;
        }
      }
      // A shifted series: the median of the window is far out, though its runs may each be just
      // inside the band (the median of five varies 0.56 times as much as one run).
      if (j - from + 1 == RECENT) {
        double[] window = Arrays.copyOfRange(all, from, j + 1);
        Arrays.sort(window);
        double median = window[RECENT / 2];
        int middle = -1;
        for (int i = from; i <= j && middle < 0; i++) {
          middle = all[i] == median ? i : -1;
        }
        if (Math.abs(median) >= MEDIAN_SCORE
            && !(upOnly && median < 0)
            && Math.signum(all[j]) == Math.signum(median)
            && Math.abs(all[j]) >= MEDIAN_SCORE
            && beyondFloors[j]
            && middle >= 0
            && beyondFloors[middle]) {
          for (int i = from; i <= j; i++) {
            if (Math.signum(all[i]) == Math.signum(median)
                && Math.abs(all[i]) >= MEDIAN_SCORE
                && beyondFloors[i]) {
              in[i] = true;
              score[i] = all[i];
              any = true;
            }
          }
        }
      }
    }
    if (any) {
      List<RunPoint> flagged = new ArrayList<>();
      int worst = -1;
      for (int i = 0; i < size; i++) {
        if (in[i]) {
          flagged.add(runs.get(i));
          if (worst < 0 || Math.abs(score[i]) > Math.abs(score[worst])) {
            worst = i;
          }
        }
      }
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("direction", score[worst] > 0 ? "above" : "below");
      detail.put("median", format(band.center()));
      detail.put("baselineRuns", Integer.toString(baselineRuns));
      detail.put("flaggedRuns", Integer.toString(flagged.size()));
      return new Observation(
          kind,
          key.subject(),
          m.wireName(),
          true,
          false,
          runs.get(worst).value(m),
          band.asBand(),
          score[worst],
          band.severity(score[worst]),
          instant(flagged.get(0).startNanos()),
          instant(flagged.get(flagged.size() - 1).startNanos()),
          flagged.stream().map(RunPoint::traceId).distinct().limit(MAX_EXAMPLES).toList(),
          detail);
    }
    for (int i = Math.max(0, size - CLEAR_RUNS); i < size; i++) {
      if (side[i] != 0) {
        return null;
      }
    }
    return size < CLEAR_RUNS ? null : Observation.clear(kind, key.subject(), m.wireName());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  static String format(double v) {
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
