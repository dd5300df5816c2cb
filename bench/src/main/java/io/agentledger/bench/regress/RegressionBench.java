package io.agentledger.bench.regress;

import io.agentledger.analyzer.regress.RegressionConfig;
import io.agentledger.analyzer.regress.RegressionDetector;
import io.agentledger.bench.report.Results;
import io.agentledger.store.Regression;
import io.agentledger.store.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The regression detector on generated runs, with the default settings: does it find a slower
 * version and only that, how often does it flag versions that changed nothing, does it find a model
 * silently slower mid-version, and how long does a cycle take.
 */
public final class RegressionBench {

  static final String SECTION = "Regression detection (generated runs, default settings)";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant NOW = T0.plus(Duration.ofDays(7));

  private RegressionBench() {}

  public static void run(boolean smoke, Results results, String command) {
    RegressionDetector detector = new RegressionDetector(RegressionConfig.defaults());
    slowerVersion(detector, results, command);
    unchangedVersions(detector, smoke ? 10 : 100, results, command);
    power(detector, smoke ? 4 : 20, results, command);
    silentlySlowerModel(detector, results, command);
    cycleTime(detector, smoke ? 2 : 10, results, command);
  }

  /** v2 takes 30 % longer per run at the same cost: a latency regression, and nothing else. */
  static void slowerVersion(RegressionDetector detector, Results results, String command) {
    List<RunSummary> runs = new ArrayList<>(new RunGenerator(1).runs("1", T0, 300));
    runs.addAll(
        new RunGenerator(2).latencyFactor(1.3).runs("2", T0.plus(Duration.ofHours(3)), 300));
    List<Regression> found = detector.detectRuns("bench", runs, NOW);
    boolean right =
        found.size() == 1
            && found.get(0).kind().equals(Regression.VERSION)
            && found.get(0).metric().equals("durationMs")
            && found.get(0).before().version().equals("1")
            && found.get(0).after().version().equals("2")
            && found.get(0).direction().equals(Regression.WORSE);
    results.add(
        SECTION,
        "v2 with +30 % latency and unchanged cost (300 runs each)",
        describe(found),
        "one latency regression 1 → 2, worse; no cost regression",
        right,
        command);
  }

  /**
   * {@code versions} new versions that change nothing, each checked as its runs arrive (cycles at
   * 30, 60, 120 and 240 runs) against the 240 runs of the version before: how many are ever
   * flagged.
   */
  static void unchangedVersions(
      RegressionDetector detector, int versions, Results results, String command) {
    int flaggedVersions = 0;
    int falseRegressions = 0;
    int cycles = 0;
    List<RunSummary> previous = new RunGenerator(1000).runs("0", T0, 240);
    for (int v = 1; v <= versions; v++) {
      Instant start = T0.plus(Duration.ofHours(3L * v));
      List<RunSummary> current = new RunGenerator(1000 + v).runs(Integer.toString(v), start, 240);
      boolean flagged = false;
      for (int n = 30; n <= 240; n *= 2) {
        List<RunSummary> runs = new ArrayList<>(previous);
        runs.addAll(current.subList(0, n));
        List<Regression> found = detector.detectRuns("bench", runs, NOW);
        cycles++;
        falseRegressions += found.size();
        flagged |= !found.isEmpty();
      }
      if (flagged) {
        flaggedVersions++;
      }
      previous = current;
    }
    results.add(
        SECTION,
        String.format(
            Locale.ROOT,
            "unchanged new versions flagged (%d versions, %d cycles at 30/60/120/240 runs)",
            versions,
            cycles),
        String.format(
            Locale.ROOT,
            "%d of %d (%d false regressions in all)",
            flaggedVersions,
            versions,
            falseRegressions),
        "≤ 5 of 100",
        flaggedVersions * 100 <= 5 * versions,
        command);
  }

  /** How often smaller slow-downs are found, 300 runs a side. */
  static void power(RegressionDetector detector, int trials, Results results, String command) {
    for (double slower : new double[] {1.15, 1.2}) {
      int found = 0;
      for (int t = 0; t < trials; t++) {
        List<RunSummary> runs = new ArrayList<>(new RunGenerator(5000 + t).runs("1", T0, 300));
        runs.addAll(
            new RunGenerator(6000 + t)
                .latencyFactor(slower)
                .runs("2", T0.plus(Duration.ofHours(3)), 300));
        if (detector.detectRuns("bench", runs, NOW).stream()
            .anyMatch(r -> r.metric().equals("durationMs") && r.after().version().equals("2"))) {
          found++;
        }
      }
      results.add(
          SECTION,
          String.format(
              Locale.ROOT,
              "v2 %.0f %% slower, 300 runs each: trials in which it is found",
              100 * (slower - 1)),
          String.format(Locale.ROOT, "%d of %d", found, trials),
          command);
    }
  }

  /** One version; from run 300 on, the model behind it is 30 % slower. */
  static void silentlySlowerModel(RegressionDetector detector, Results results, String command) {
    List<RunSummary> runs = new ArrayList<>(new RunGenerator(7).runs("3", T0, 300));
    Instant switched = T0.plus(Duration.ofSeconds(30L * 300));
    runs.addAll(new RunGenerator(8).latencyFactor(1.3).runs("3", switched, 300));
    List<Regression> found = detector.detectRuns("bench", runs, NOW);
    Regression cp =
        found.stream()
            .filter(r -> r.kind().equals(Regression.CHANGE_POINT))
            .filter(r -> r.metric().equals("durationMs"))
            .findFirst()
            .orElse(null);
    long offBy =
        cp == null
            ? Long.MAX_VALUE
            : Math.abs(Duration.between(switched, cp.after().from()).toSeconds() / 30);
    results.add(
        SECTION,
        "a model silently 30 % slower mid-version (600 runs, switch at run 300)",
        cp == null
            ? "not found; " + describe(found)
            : String.format(
                Locale.ROOT,
                "change point at run %d (%d runs from the switch); %s",
                cp.before().runs(),
                offBy,
                describe(found)),
        "a latency change point within 30 runs of the switch",
        cp != null && cp.direction().equals(Regression.WORSE) && offBy <= 30,
        command);
  }

  /** One cycle over {@code agents} agents with three versions of 2,000 runs each. */
  static void cycleTime(RegressionDetector detector, int agents, Results results, String command) {
    List<RunSummary> runs = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      for (int v = 0; v < 3; v++) {
        runs.addAll(
            new RunGenerator(31L * a + v)
                .agent("agent-" + a)
                .runs("v" + v, T0.plus(Duration.ofDays(v)), 2000));
      }
    }
    detector.detectRuns("bench", runs, NOW); // warm-up
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    List<Regression> found = detector.detectRuns("bench", runs, NOW);
    double ms = (System.nanoTime() - start) / 1e6;
    double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
    results.add(
        SECTION,
        String.format(
            Locale.ROOT,
            "one detection cycle, %d agents × 3 versions × 2,000 runs (%,d runs)",
            agents,
            runs.size()),
        String.format(
            Locale.ROOT,
            "%.0f ms (%.0f ms of CPU; %d regressions, all versions unchanged)",
            ms,
            cpuMs,
            found.size()),
        command);
  }

  private static String describe(List<Regression> found) {
    if (found.isEmpty()) {
      return "nothing reported";
    }
    List<String> parts = new ArrayList<>();
    for (Regression r : found) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %s %s %s→%s effect %+.1f %% [%+.1f %%, %+.1f %%] p %.1e",
              r.kind(),
              r.metric(),
              r.direction(),
              r.before().version(),
              r.after().version(),
              100 * r.effect(),
              100 * r.effectLow(),
              100 * r.effectHigh(),
              r.pValue()));
    }
    return String.join("; ", parts);
  }
}
