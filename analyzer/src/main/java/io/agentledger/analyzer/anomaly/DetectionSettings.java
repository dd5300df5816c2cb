package io.agentledger.analyzer.anomaly;

import java.time.Duration;
import java.util.Objects;

/**
 * How detection runs and what it reports.
 *
 * @param interval how often a detection cycle runs
 * @param window the baseline window: runs and hours older than this are not compared with
 * @param minBaseline the fewest baseline runs (or seasonal samples) a series needs to be judged
 * @param threshold the robust z-score above which a value is anomalous (3.5: Iglewicz and Hoaglin)
 * @param relativeFloor the smallest relative change reported (0.25 = 25 %)
 * @param costFloorUsd the smallest change of a run's or an hour's cost reported, in USD
 * @param tokenFloor the smallest change of a run's tokens reported
 * @param durationFloorMs the smallest change of a run's duration reported, in milliseconds
 * @param cooldown an episode that recurs within this long after it resolved fires again as the same
 *     episode (reopened) instead of a new one
 * @param resolveAfter an episode with no anomalous observation for this long resolves even without
 *     clean runs (the agent stopped running)
 */
public record DetectionSettings(
    Duration interval,
    Duration window,
    int minBaseline,
    double threshold,
    double relativeFloor,
    double costFloorUsd,
    long tokenFloor,
    long durationFloorMs,
    Duration cooldown,
    Duration resolveAfter) {

  /** Smallest change of a run's tool calls or steps reported. */
  static final double COUNT_FLOOR = 3;

  /** Smallest change of an hour's run count reported. */
  static final double CALLS_FLOOR = 5;

  /** Smallest change of an hour's error rate reported (10 points). */
  static final double ERROR_RATE_FLOOR = 0.10;

  public DetectionSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(cooldown, "cooldown");
    Objects.requireNonNull(resolveAfter, "resolveAfter");
    if (minBaseline < 3) {
      throw new IllegalArgumentException("minBaseline must be at least 3");
    }
  }

  /** The defaults of the declared settings ({@link AnomalyConfig}). */
  public static DetectionSettings defaults() {
    return new DetectionSettings(
        Duration.ofMinutes(1),
        Duration.ofDays(7),
        30,
        RobustBand.DEFAULT_THRESHOLD,
        0.25,
        0.01,
        2_000,
        2_000,
        Duration.ofHours(1),
        Duration.ofHours(1));
  }

  Floors floors(RunMetric m) {
    return new Floors(
        relativeFloor,
        switch (m) {
          case COST_USD -> costFloorUsd;
          case INPUT_TOKENS, OUTPUT_TOKENS -> tokenFloor;
          case DURATION_MS -> durationFloorMs;
          case TOOL_CALLS, STEPS -> COUNT_FLOOR;
        });
  }
}
