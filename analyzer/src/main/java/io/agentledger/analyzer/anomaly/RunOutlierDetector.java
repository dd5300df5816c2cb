package io.agentledger.analyzer.anomaly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs far from their series' usual, per metric: each of the series' last {@value #RECENT} runs is
 * scored against a {@link RobustBand} of the runs before them in the baseline window (at least
 * {@code minBaseline} of them). A key is anomalous when one recent run is beyond twice the
 * threshold (critical), or when {@value #MIN_FLAGGED} recent runs are outside the band on the same
 * side — one run in a few thousand is outside a 3.5 band by chance, two of five almost never. It is
 * clear when the last {@value #CLEAR_RUNS} runs are all inside. Steps count only upwards, as {@code
 * excessive_steps}; the other metrics both ways, as {@code run_outlier}.
 *
 * <p>Stateless between cycles: the recent runs and the baseline are read from the window, so every
 * analyzer instance, and one restarted, reaches the same conclusion.
 */
final class RunOutlierDetector {

  static final String KIND = "run_outlier";
  static final String STEPS_KIND = "excessive_steps";
  static final int RECENT = 5;
  static final int MIN_FLAGGED = 2;
  static final int CLEAR_RUNS = 3;
  static final int MAX_BASELINE = 2_000;
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
  List<Observation> detect(String project, SeriesKey key, List<RunPoint> runs) {
    if (runs.size() < RECENT + settings.minBaseline()) {
      return List.of();
    }
    int recentFrom = runs.size() - RECENT;
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
      double[] baseline = new double[n];
      for (RunMetric m : RunMetric.values()) {
        for (int i = 0; i < n; i++) {
          baseline[i] = runs.get(from + i).value(m);
        }
        byMetric[m.ordinal()] =
            RobustBand.of(baseline, settings.floors(m), settings.threshold(), true);
      }
      cached = new Bands(baselineEnd, n, byMetric);
      bands.put(cacheKey, cached);
    }
    List<Observation> out = new ArrayList<>();
    for (RunMetric m : RunMetric.values()) {
      Observation o =
          judge(key, m, cached.byMetric()[m.ordinal()], runs.subList(recentFrom, runs.size()), n);
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

  /** Anomalous, clear, or null while undecided (a recent run outside, but not enough of them). */
  private @Nullable Observation judge(
      SeriesKey key, RunMetric m, RobustBand band, List<RunPoint> recent, int baselineRuns) {
    boolean upOnly = m == RunMetric.STEPS;
    String kind = upOnly ? STEPS_KIND : KIND;
    List<RunPoint> above = new ArrayList<>();
    List<RunPoint> below = new ArrayList<>();
    RunPoint worst = null;
    double worstScore = 0;
    for (RunPoint r : recent) {
      double x = r.value(m);
      if (!band.anomalous(x) || (upOnly && x < band.center())) {
        continue;
      }
      (x > band.center() ? above : below).add(r);
      double score = band.score(x);
      if (worst == null || Math.abs(score) > Math.abs(worstScore)) {
        worst = r;
        worstScore = score;
      }
    }
    boolean critical = worst != null && Math.abs(worstScore) >= 2 * band.threshold();
    if (worst != null && (critical || above.size() >= MIN_FLAGGED || below.size() >= MIN_FLAGGED)) {
      List<RunPoint> flagged = new ArrayList<>(above);
      flagged.addAll(below);
      flagged.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("direction", worstScore > 0 ? "above" : "below");
      detail.put("median", format(band.center()));
      detail.put("baselineRuns", Integer.toString(baselineRuns));
      detail.put("flaggedRuns", flagged.size() + " of last " + recent.size());
      return new Observation(
          kind,
          key.subject(),
          m.wireName(),
          true,
          false,
          worst.value(m),
          band.asBand(),
          worstScore,
          band.severity(worstScore),
          instant(flagged.get(0).startNanos()),
          instant(flagged.get(flagged.size() - 1).startNanos()),
          flagged.stream().map(RunPoint::traceId).distinct().limit(MAX_EXAMPLES).toList(),
          detail);
    }
    for (int i = recent.size() - CLEAR_RUNS; i < recent.size(); i++) {
      double x = recent.get(i).value(m);
      if (band.anomalous(x) && !(upOnly && x < band.center())) {
        return null;
      }
    }
    return Observation.clear(kind, key.subject(), m.wireName());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  static String format(double v) {
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
