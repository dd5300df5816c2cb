package io.agentledger.standalone.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * When the demo's runs arrive and when its cost spike happens: first a burst ({@code burstRuns}
 * sent over {@code burstLength}) so the detectors have baselines within a minute, then a steady
 * {@code steadyRunsPerMinute}; from {@code spikeStart}, for {@code spikeLength}, the research
 * assistant's runs cost {@code spikeFactor} times as much. Offsets count from the demo's start.
 *
 * <p>The burst is history: runs that started one after another over {@link #HISTORY}, ending {@link
 * #HISTORY_GAP} before the demo began, so every one of them had ended by then. Were they runs
 * ending in the burst's minute instead, the longest would have started first, and in start order
 * (the anomaly detector's) a young series' baseline would be its longest runs and everything after
 * them would look cheap and fast.
 *
 * @param seed the seed of every random choice (the same seed gives the same runs)
 * @param burstRuns runs in the opening burst
 * @param burstLength how long sending the burst takes
 * @param steadyRunsPerMinute the rate after the burst
 * @param spikeStart when the cost spike starts
 * @param spikeLength how long it lasts
 * @param spikeFactor how many times their usual size a research run's prompts are during the spike
 * @param maxRuns the demo stops after this many runs (tests); {@link Long#MAX_VALUE} for never
 */
record DemoSchedule(
    long seed,
    int burstRuns,
    Duration burstLength,
    double steadyRunsPerMinute,
    Duration spikeStart,
    Duration spikeLength,
    double spikeFactor,
    long maxRuns) {

  /**
   * {@code ./agentledger demo}: 900 runs in the first minute (about 270 of each support-triage
   * version, started over the 20 minutes up to 5 minutes before the demo), then 30 a minute; the
   * research assistant's prompts grow sixfold from minute 5 to minute 8 (its cost per run about
   * fivefold).
   */
  static final DemoSchedule DEFAULT =
      new DemoSchedule(
          2026,
          900,
          Duration.ofMinutes(1),
          30,
          Duration.ofMinutes(5),
          Duration.ofMinutes(3),
          6.0,
          Long.MAX_VALUE);

  /** How long the burst's runs took to start, one after another. */
  static final Duration HISTORY = Duration.ofMinutes(20);

  /**
   * From the burst's last start to the demo's start: longer than any run of the demo takes (a few
   * minutes at most), so the history holds every run that started in it, long ones too.
   */
  static final Duration HISTORY_GAP = Duration.ofMinutes(5);

  DemoSchedule {
    Objects.requireNonNull(burstLength, "burstLength");
    Objects.requireNonNull(spikeStart, "spikeStart");
    Objects.requireNonNull(spikeLength, "spikeLength");
    if (burstRuns < 0 || steadyRunsPerMinute <= 0 || spikeFactor <= 0 || maxRuns < 0) {
      throw new IllegalArgumentException(
          "burstRuns and maxRuns must not be negative, steadyRunsPerMinute and spikeFactor must be"
              + " positive");
    }
  }

  /** When run {@code n} (from 0) arrives, after the demo's start. */
  Duration arrival(long n) {
    if (n < burstRuns) {
      return burstLength.multipliedBy(n).dividedBy(burstRuns);
    }
    long nanosBetween = (long) (60e9 / steadyRunsPerMinute);
    return burstLength.plusNanos((n - burstRuns + 1) * nanosBetween);
  }

  /** Whether run {@code n} (from 0) is one of the burst's: history, recorded at once. */
  boolean inBurst(long n) {
    return n < burstRuns;
  }

  /**
   * When run {@code n} of the burst started, after the demo's start (a negative offset): the
   * burst's runs started evenly over {@link #HISTORY}, which ended {@link #HISTORY_GAP} before the
   * demo began.
   */
  Duration historyStart(long n) {
    if (!inBurst(n)) {
      throw new IllegalArgumentException("run " + n + " is not one of the burst's");
    }
    return HISTORY_GAP.plus(HISTORY).negated().plus(HISTORY.multipliedBy(n).dividedBy(burstRuns));
  }

  /** True when a run arriving at {@code offset} falls in the cost spike. */
  boolean inSpike(Duration offset) {
    return offset.compareTo(spikeStart) >= 0 && offset.compareTo(spikeStart.plus(spikeLength)) < 0;
  }
}
