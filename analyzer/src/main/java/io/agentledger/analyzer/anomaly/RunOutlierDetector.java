package io.agentledger.analyzer.anomaly;

import java.time.Instant;
import java.util.ArrayList;
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

  /** The observations of one series whose runs changed this cycle. */
  List<Observation> detect(SeriesKey key, List<RunPoint> runs, Instant windowStart) {
    if (runs.size() < RECENT + settings.minBaseline()) {
      return List.of();
    }
    long windowStartNanos = windowStart.getEpochSecond() * 1_000_000_000L + windowStart.getNano();
    int recentFrom = runs.size() - RECENT;
    int baselineFrom = Math.max(0, recentFrom - MAX_BASELINE);
    while (baselineFrom < recentFrom && runs.get(baselineFrom).startNanos() < windowStartNanos) {
      baselineFrom++;
    }
    int n = recentFrom - baselineFrom;
    if (n < settings.minBaseline()) {
      return List.of();
    }
    List<Observation> out = new ArrayList<>();
    double[] baseline = new double[n];
    for (RunMetric m : RunMetric.values()) {
      for (int i = 0; i < n; i++) {
        baseline[i] = runs.get(baselineFrom + i).value(m);
      }
      RobustBand band = RobustBand.of(baseline, settings.floors(m), settings.threshold(), true);
      Observation o = judge(key, m, band, runs.subList(recentFrom, runs.size()), n);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
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
