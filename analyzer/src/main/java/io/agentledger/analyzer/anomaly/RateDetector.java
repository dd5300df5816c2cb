package io.agentledger.analyzer.anomaly;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hourly rates of a project's runs outside their seasonal band: spend, runs and error rate per
 * agent, per model and per user, one complete hour at a time.
 *
 * <p>The baseline of an hour is the same hour of the day (and the hours either side, so a week
 * gives 21 samples) on each earlier day of the window; with three weeks or more, the same hour of
 * the same weekday instead. Its {@link RobustBand} is taken on {@code ln(x + floor)} with a floor
 * band of ±50 % (grafana/promql-anomaly-detection's robust band with its 0.5 × median floor,
 * seasonal by offsets). A sparse series — seen in fewer than three quarters of its seasonal
 * samples, or below {@value DetectionSettings#CALLS_FLOOR} runs an hour in the median — is skipped;
 * error rates need {@value #MIN_ERROR_RATE_RUNS} runs in the hour and in the median sample.
 */
final class RateDetector {

  static final String KIND = "rate";
  static final String SPEND = "spend_usd_per_hour";
  static final String CALLS = "runs_per_hour";
  static final String ERROR_RATE = "error_rate";
  static final int MIN_ERROR_RATE_RUNS = 20;
  static final double RATE_RELATIVE_FLOOR = 0.5;
  static final double PRESENT_SHARE = 0.75;
  static final int MIN_SAMPLES = 9;
  private static final long HOUR_SECONDS = 3600;
  private static final int MAX_EXAMPLES = 5;

  private final DetectionSettings settings;

  RateDetector(DetectionSettings settings) {
    this.settings = settings;
  }

  /**
   * Per subject, per hour (epoch hours): spend, runs, failed runs; their totals over the window up
   * to the hour judged, and a few trace ids of that hour.
   */
  private static final class Hours {
    final Map<Long, HourlyRates.Cell> byHour;
    final List<String> examples = new ArrayList<>();
    double runs;
    double costSquares;
    double failed;

    Hours(Map<Long, HourlyRates.Cell> byHour, long first, long target) {
      this.byHour = byHour;
      byHour.forEach(
          (h, cell) -> {
            if (h >= first && h <= target) {
              runs += cell.runs;
              costSquares += cell.costSquares;
              failed += cell.failed;
            }
          });
    }
  }

  /**
   * The observations of the hour that starts at {@code hour}, against the window's earlier hours.
   */
  List<Observation> detect(RunWindow window, Instant hour, Instant windowStart) {
    long target = Math.floorDiv(hour.getEpochSecond(), HOUR_SECONDS);
    long first = Math.floorDiv(windowStart.getEpochSecond() + HOUR_SECONDS - 1, HOUR_SECONDS);
    // Brought up to date even when not judged yet: the hours summed now are not summed again.
    Map<Map<String, String>, Map<Long, HourlyRates.Cell>> cells = window.hourlyRates(first);
    List<Observation> out = new ArrayList<>();
    if (sampleHours(target - 1, first).size() < MIN_SAMPLES) {
      return out; // not three seasons of history yet
    }
    Map<Map<String, String>, Hours> subjects = new LinkedHashMap<>();
    cells.forEach((subject, byHour) -> subjects.put(subject, new Hours(byHour, first, target)));
    examples(window, target, subjects);
    for (Map.Entry<Map<String, String>, Hours> e : subjects.entrySet()) {
      judge(e.getKey(), e.getValue(), target, first, out);
    }
    return out;
  }

  /** A few trace ids of the hour judged, per subject. */
  private static void examples(RunWindow window, long target, Map<Map<String, String>, Hours> to) {
    long from = target * HourlyRates.HOUR_NANOS;
    for (Map.Entry<SeriesKey, List<RunPoint>> e : window.allSeries()) {
      List<RunPoint> runs = e.getValue();
      for (int i = HourlyRates.firstAtOrAfter(runs, from);
          i < runs.size() && runs.get(i).startNanos() < from + HourlyRates.HOUR_NANOS;
          i++) {
        RunPoint r = runs.get(i);
        example(to, "agent", e.getKey().agent(), r);
        example(to, "model", e.getKey().model(), r);
        example(to, "userId", r.userId(), r);
      }
    }
  }

  private static void example(
      Map<Map<String, String>, Hours> to, String dimension, String value, RunPoint r) {
    if (value.isEmpty()) {
      return;
    }
    Hours hours = to.get(Map.of(dimension, value));
    if (hours != null && hours.examples.size() < MAX_EXAMPLES) {
      hours.examples.add(r.traceId());
    }
  }

  /** Same hour of day (±1 h) on earlier days; same hour of week (±1 h) with three weeks or more. */
  private List<Long> sampleHours(long target, long first) {
    long days = settings.window().toHours() / 24;
    long period = days >= 21 ? 168 : 24;
    List<Long> out = new ArrayList<>();
    for (long back = period; target - back - 1 >= first; back += period) {
      out.add(target - back - 1);
      out.add(target - back);
      out.add(target - back + 1);
    }
    return out;
  }

  /** One metric of one hour against its seasonal band. */
  private record Verdict(String metric, double x, RobustBand band) {
    boolean above() {
      return x > band.center();
    }
  }

  /**
   * Judges a subject's hour and the hour before it: anomalous when both are above their bands (an
   * hour alone is too often unlucky: a few hundred series judged hourly give thousands of tests a
   * day), clear when the hour is not above.
   */
  private void judge(
      Map<String, String> subject, Hours hours, long target, long first, List<Observation> out) {
    List<Verdict> now = verdicts(hours, target, first);
    List<Verdict> before = verdicts(hours, target - 1, first);
    Instant at = Instant.ofEpochSecond(target * HOUR_SECONDS);
    for (Verdict v : now) {
      if (!v.above() || !v.band().anomalous(v.x())) {
        out.add(Observation.clear(KIND, subject, v.metric()));
        continue;
      }
      Verdict previous =
          before.stream().filter(b -> b.metric().equals(v.metric())).findFirst().orElse(null);
      if (previous == null || !previous.above() || !previous.band().anomalous(previous.x())) {
        continue; // undecided until the next hour
      }
      double score = v.band().score(v.x());
      out.add(
          new Observation(
              KIND,
              subject,
              v.metric(),
              true,
              false,
              v.x(),
              v.band().asBand(),
              score,
              v.band().severity(score),
              at.minusSeconds(HOUR_SECONDS),
              at,
              hours.examples,
              Map.of(
                  "hour", at.toString(),
                  "previousHour", RunOutlierDetector.format(previous.x()),
                  "direction", v.above() ? "above" : "below",
                  "median", RunOutlierDetector.format(v.band().center()),
                  "seasonalSamples", Integer.toString(sampleHours(target, first).size()))));
    }
  }

  /** The hour's metrics with their bands; none for a sparse series. */
  private List<Verdict> verdicts(Hours hours, long hour, long first) {
    List<Long> samples = sampleHours(hour, first);
    double[] spend = new double[samples.size()];
    double[] runs = new double[samples.size()];
    double[] errorRates = new double[samples.size()];
    int present = 0;
    for (int i = 0; i < samples.size(); i++) {
      HourlyRates.Cell cell = hours.byHour.get(samples.get(i));
      if (cell != null && cell.runs > 0) {
        present++;
        spend[i] = cell.spend;
        runs[i] = cell.runs;
        errorRates[i] = cell.failed / cell.runs;
      }
    }
    if (samples.size() < MIN_SAMPLES) {
      return List.of();
    }
    double medianRuns = RobustStats.median(RobustStats.sorted(runs));
    if (present < PRESENT_SHARE * samples.size() || medianRuns < DetectionSettings.CALLS_FLOOR) {
      return List.of(); // sparse
    }
    HourlyRates.Cell cell = hours.byHour.get(hour);
    double[] x = cell == null ? new double[3] : new double[] {cell.spend, cell.runs, cell.failed};
    double rel = Math.max(settings.relativeFloor(), RATE_RELATIVE_FLOOR);
    double threshold = settings.threshold();
    // Chance alone varies a count by its square root (Poisson), a sum of costs by the root of
    // runs × mean squared cost (compound Poisson), a share by the binomial deviation.
    double meanSquare = hours.runs > 0 ? hours.costSquares / hours.runs : 0;
    List<Verdict> out = new ArrayList<>();
    out.add(
        new Verdict(
            SPEND,
            x[0],
            RobustBand.of(
                spend,
                new Floors(rel, 10 * settings.costFloorUsd()),
                threshold,
                true,
                Math.sqrt(medianRuns * meanSquare))));
    out.add(
        new Verdict(
            CALLS,
            x[1],
            RobustBand.of(
                runs,
                new Floors(rel, DetectionSettings.CALLS_FLOOR),
                threshold,
                true,
                Math.sqrt(medianRuns))));
    if (x[1] >= MIN_ERROR_RATE_RUNS && medianRuns >= MIN_ERROR_RATE_RUNS) {
      double p = Math.max(hours.failed / Math.max(1, hours.runs), 1 / x[1]);
      out.add(
          new Verdict(
              ERROR_RATE,
              x[2] / x[1],
              RobustBand.of(
                  errorRates,
                  new Floors(rel, DetectionSettings.ERROR_RATE_FLOOR),
                  threshold,
                  false,
                  Math.sqrt(p * (1 - p) / x[1]))));
    }
    return out;
  }

  /** The start of the latest hour that ended at least {@code lag} before {@code now}. */
  static Instant lastCompleteHour(Instant now, Duration lag) {
    long h = Math.floorDiv(now.minus(lag).getEpochSecond(), HOUR_SECONDS);
    return Instant.ofEpochSecond((h - 1) * HOUR_SECONDS);
  }
}
