package io.agentledger.analyzer.regress;

import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * How regressions are detected, declared in {@link #SETTINGS} ({@code AGENTLEDGER_REGRESSION_*}).
 *
 * @param minRuns runs a version needs before it is compared with the one before it; also the least
 *     runs on each side of a change point within a version
 * @param minEffect the smallest relative change of a metric's typical value worth reporting ({@code
 *     0.1} = 10 %), worse or better
 * @param fdr false discovery rate across every test of one detection cycle (Benjamini-Hochberg)
 * @param bootstrapResamples resamples for the effect's confidence interval
 * @param permutations most shuffles of the change-point permutation test
 * @param changePointP the largest permutation p-value of a change point within a version (before
 *     the adjustment): a version's series is tested again every cycle as it grows, so a single
 *     test's level would raise false alarms over time (Apache Otava's default is 0.001)
 * @param maxRunsPerVersion the most recent runs of a version that are compared (bounds memory and
 *     time)
 * @param interval time between detection cycles
 * @param lookback how far back runs are read each cycle
 * @param resolveAfter how long a firing regression no cycle finds any more stays firing before it
 *     resolves (a change near the significance level does not flap)
 */
public record RegressionConfig(
    int minRuns,
    double minEffect,
    double fdr,
    int bootstrapResamples,
    int permutations,
    double changePointP,
    int maxRunsPerVersion,
    Duration interval,
    Duration lookback,
    Duration resolveAfter) {

  /** The most recent runs per version compared unless told otherwise. */
  public static final int DEFAULT_MAX_RUNS_PER_VERSION = 2000;

  public RegressionConfig {
    if (minRuns < 2) {
      throw new IllegalArgumentException("minRuns must be at least 2");
    }
    if (maxRunsPerVersion < 2 * minRuns) {
      throw new IllegalArgumentException("maxRunsPerVersion must be at least twice minRuns");
    }
  }

  static final Setting<Integer> MIN_RUNS =
      Settings.integer(
          "AGENTLEDGER_REGRESSION_MIN_RUNS",
          30,
          5,
          DEFAULT_MAX_RUNS_PER_VERSION / 2,
          "runs an agent version needs before it is compared with the previous version (also the"
              + " least runs on each side of a change point)");
  static final Setting<Double> MIN_EFFECT =
      fraction(
          "AGENTLEDGER_REGRESSION_MIN_EFFECT",
          "0.1",
          0.0,
          10.0,
          "smallest relative change of a metric's median reported as a regression (0.1 = 10%),"
              + " worse or better");
  static final Setting<Double> FDR =
      fraction(
          "AGENTLEDGER_REGRESSION_FDR",
          "0.05",
          0.0001,
          0.5,
          "false discovery rate across all tests of one regression cycle (Benjamini-Hochberg)");
  static final Setting<Integer> BOOTSTRAP =
      Settings.integer(
          "AGENTLEDGER_REGRESSION_BOOTSTRAP",
          2000,
          0,
          100_000,
          "bootstrap resamples for a regression's effect interval (0: no interval)");
  static final Setting<Integer> PERMUTATIONS =
      Settings.integer(
          "AGENTLEDGER_REGRESSION_PERMUTATIONS",
          999,
          19,
          100_000,
          "most shuffles of the change-point permutation test (its smallest p is 1/(n+1))");
  static final Setting<Double> CHANGE_POINT_P =
      fraction(
          "AGENTLEDGER_REGRESSION_CHANGE_POINT_P",
          "0.001",
          0.0,
          0.5,
          "largest permutation p-value of a change point within a version (it is re-tested every"
              + " cycle; the p-value cannot go below 1/(permutations+1))");
  static final Setting<Duration> INTERVAL =
      Settings.duration(
          "AGENTLEDGER_REGRESSION_INTERVAL",
          "5m",
          Duration.ofSeconds(1),
          "time between regression detection cycles");
  static final Setting<Duration> LOOKBACK =
      Settings.duration(
          "AGENTLEDGER_REGRESSION_LOOKBACK",
          "14d",
          Duration.ofMinutes(1),
          "how far back each regression cycle reads agents' runs");

  static final Setting<Duration> RESOLVE_AFTER =
      Settings.duration(
          "AGENTLEDGER_REGRESSION_RESOLVE_AFTER",
          "15m",
          Duration.ZERO,
          "a firing regression no cycle has found for this long resolves (one superseded by a"
              + " newer version of its agent resolves at once)");

  /** The declared settings, for a process's table. */
  public static final Settings SETTINGS =
      Settings.of(
          List.of(
              MIN_RUNS,
              MIN_EFFECT,
              FDR,
              BOOTSTRAP,
              PERMUTATIONS,
              CHANGE_POINT_P,
              INTERVAL,
              LOOKBACK,
              RESOLVE_AFTER));

  /** Reads the settings from values loaded with a table that includes {@link #SETTINGS}. */
  public static RegressionConfig from(Settings.Values v) {
    return new RegressionConfig(
        v.get(MIN_RUNS),
        v.get(MIN_EFFECT),
        v.get(FDR),
        v.get(BOOTSTRAP),
        v.get(PERMUTATIONS),
        v.get(CHANGE_POINT_P),
        DEFAULT_MAX_RUNS_PER_VERSION,
        v.get(INTERVAL),
        v.get(LOOKBACK),
        v.get(RESOLVE_AFTER));
  }

  /** The defaults of {@link #SETTINGS}. */
  public static RegressionConfig defaults() {
    return from(SETTINGS.load(java.util.Map.of()));
  }

  /** A copy with another minimum of runs per version. */
  public RegressionConfig withMinRuns(int runs) {
    return new RegressionConfig(
        runs,
        minEffect,
        fdr,
        bootstrapResamples,
        permutations,
        changePointP,
        maxRunsPerVersion,
        interval,
        lookback,
        resolveAfter);
  }

  private static Setting<Double> fraction(
      String name, String defaultValue, double min, double max, String doc) {
    return new Setting<>(
        name,
        raw -> {
          double value;
          try {
            value = Double.parseDouble(raw);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
          }
          if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
          }
          return value;
        },
        defaultValue,
        false,
        doc);
  }
}
