package io.agentledger.analyzer.anomaly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs far from their series' usual, per metric: every new run is scored against a {@link
 * RobustBand} of the series' runs in the baseline window before the hour the judged runs begin in
 * (at least {@code minBaseline} of them). A key is anomalous when a new run is beyond twice the
 * threshold (critical), or when the new run is beyond the floors and the runs up to it together
 * make a {@link #combinedScore combined score} far out (see there). It is clear when the last
 * {@value #CLEAR_RUNS} runs are all inside. Steps count only upwards, as {@code excessive_steps};
 * the other metrics both ways, as {@code run_outlier}.
 *
 * <p>Stateless between cycles: the runs judged and the baseline are read from the window, so every
 * analyzer instance, and one restarted, reaches the same conclusion.
 */
final class RunOutlierDetector {

  static final String KIND = "run_outlier";
  static final String STEPS_KIND = "excessive_steps";
  static final int RECENT = 5;

  /**
   * The combined score of a window, as a multiple of the threshold: 5/3, so 5.83 at the default
   * 3.5. Why (docs in the README, "Anomaly detection"): the target is at most one false anomaly per
   * 1,000 series-days, and a busy series is judged about 1,000 times a day on each of five metrics
   * and both sides, 10,000 windows a day. Keeping a tenth of the target for this rule (the rest is
   * margin for metrics that move together, the band's own sampling error and the lifecycle) leaves
   * 10^-8 per window: the chance of a clean window's combined score reaching 5.83, its newest run
   * outside the floors, is 1.0 × 10^-8 (importance sampling of normal scores; the two-of-five rule
   * this replaced had 2.2 × 10^-7, and its median-of-five companion another 10^-7). A 3× spike of a
   * log-normal series with σ 0.3 (3.7 standard deviations a run) reaches it within four spiked runs
   * 94 % of the time and within five 99 % (two of five runs beyond the band: 78 % and 88 %).
   */
  static final double COMBINED = 5.0 / 3.0;

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
    int end = baselineEnd(runs, recentFrom, baselineEnd);
    int from = baselineStart(runs, end, baselineEnd);
    if (end - from < settings.minBaseline()) {
      // A series younger than its first hour boundary (a new agent, a fresh install, the demo)
      // has its baseline in the same hour as the runs judged: it ends where they begin, so it is
      // banded anew every cycle until an hour boundary has enough runs before it.
      baselineEnd = runs.get(recentFrom).startNanos();
      end = recentFrom;
      from = baselineStart(runs, end, baselineEnd);
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

  /** The index after the last run that started before {@code baselineEnd}. */
  private static int baselineEnd(List<RunPoint> runs, int recentFrom, long baselineEnd) {
    int end = recentFrom;
    while (end > 0 && runs.get(end - 1).startNanos() >= baselineEnd) {
      end--;
    }
    return end;
  }

  /** The first baseline run: within the window before {@code baselineEnd}, at most MAX_BASELINE. */
  private int baselineStart(List<RunPoint> runs, int end, long baselineEnd) {
    long baselineStart = baselineEnd - settings.window().toNanos();
    int from = end;
    while (from > 0
        && end - from < MAX_BASELINE
        && runs.get(from - 1).startNanos() >= baselineStart) {
      from--;
    }
    return from;
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
    double combined = COMBINED * band.threshold();
    for (int j = Math.max(size - fresh, 0); j < size; j++) {
      if (side[j] != 0 && Math.abs(score[j]) >= 2 * band.threshold()) {
        in[j] = true;
        any = true;
      }
      // The newest run of the window decides the side, and must itself be worth reporting.
      int dir = all[j] > 0 ? 1 : -1;
      if (!beyondFloors[j] || (upOnly && dir < 0)) {
        continue;
      }
      int from = Math.max(0, j - RECENT + 1);
      int k = longestCombined(all, from, j, dir, band.threshold(), combined);
      if (k > 0) {
        for (int i = j - k + 1; i <= j; i++) {
          if (all[i] * dir > 0 && beyondFloors[i]) {
            in[i] = true;
            score[i] = all[i];
          }
        }
        any = true;
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

  /**
   * The combined score of the last {@code k} runs of a window on one side: {@code Σ z_i / √k}, each
   * run's score {@code z_i} (signed towards {@code dir}) capped at twice the threshold — one run
   * that far out is critical by itself, and no single run may carry a window alone. Under a clean
   * series the scores are independent standard normals, so the sum is one too (Stouffer's method):
   * a window of several runs a little out is as strong evidence as one run far out, and a whole
   * series shifted (each run perhaps just inside the band) is found as surely as a few runs beyond
   * it. Every length from 2 to {@value #RECENT} ending at the newest run is tried, so a change
   * found after two runs is not diluted by the runs before it.
   *
   * @return the length of the longest such window reaching {@code combined}, or 0
   */
  static int longestCombined(
      double[] all, int from, int to, int dir, double threshold, double combined) {
    double cap = 2 * threshold;
    double sum = 0;
    int found = 0;
    for (int i = to, k = 1; i >= from; i--, k++) {
      sum += Math.max(-cap, Math.min(cap, all[i] * dir));
      if (k >= 2 && sum / Math.sqrt(k) >= combined) {
        found = k;
      }
    }
    return found;
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  static String format(double v) {
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
