package io.agentledger.analyzer.regress;

import io.agentledger.store.RunSummary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs of one agent version drawn from known distributions: latency and cost log-normal (a median
 * and a spread), tokens proportional to cost, steps 3 to 7, failures Bernoulli; a run every {@code
 * spacing}.
 */
final class SyntheticRuns {

  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private final Random rng;
  private String agent = "planner";
  private double latencyMedianMs = 2000;
  private double costMedianUsd = 0.02;
  private double spread = 0.4;
  private double failureRate = 0.02;
  private Duration spacing = Duration.ofMinutes(1);

  SyntheticRuns(long seed) {
    rng = new Random(seed);
  }

  SyntheticRuns agent(String name) {
    agent = name;
    return this;
  }

  SyntheticRuns latencyMs(double median) {
    latencyMedianMs = median;
    return this;
  }

  SyntheticRuns costUsd(double median) {
    costMedianUsd = median;
    return this;
  }

  SyntheticRuns spread(double sigma) {
    spread = sigma;
    return this;
  }

  SyntheticRuns failureRate(double rate) {
    failureRate = rate;
    return this;
  }

  SyntheticRuns spacing(Duration d) {
    spacing = d;
    return this;
  }

  /** {@code n} runs of {@code version}, the first starting at {@code start}. */
  List<RunSummary> runs(String version, Instant start, int n) {
    List<RunSummary> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(run(version, start.plus(spacing.multipliedBy(i))));
    }
    return out;
  }

  RunSummary run(String version, Instant start) {
    return run(version, latency -> start);
  }

  /**
   * {@code n} runs recorded as they end, the {@code i}-th ending {@code i} ms after {@code end}: a
   * burst of runs that all finished together, each started its own duration before.
   */
  List<RunSummary> burst(String version, Instant end, int n) {
    List<RunSummary> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Instant ended = end.plusMillis(i);
      out.add(run(version, latency -> ended.minusMillis(latency)));
    }
    return out;
  }

  /**
   * {@code n} runs starting every {@code spacing} from {@code start}, of which only those ended by
   * {@code now} are stored (the others are still running).
   */
  List<RunSummary> endedBy(String version, Instant start, int n, Instant now) {
    return runs(version, start, n).stream()
        .filter(r -> !r.startTime().plusMillis(r.durationMs()).isAfter(now))
        .toList();
  }

  private RunSummary run(String version, java.util.function.LongFunction<Instant> startOf) {
    double latency = latencyMedianMs * Math.exp(spread * rng.nextGaussian());
    Instant start = startOf.apply(Math.round(latency));
    double cost = costMedianUsd * Math.exp(spread * rng.nextGaussian());
    long tokens = Math.round(cost * 100_000);
    int steps = 3 + rng.nextInt(5);
    boolean failed = rng.nextDouble() < failureRate;
    String trace = String.format("%032x", rng.nextLong() & Long.MAX_VALUE);
    return new RunSummary(
        "p",
        trace,
        trace.substring(16),
        agent,
        version,
        "svc",
        "",
        "",
        start,
        Math.round(latency),
        BigDecimal.valueOf(cost).setScale(6, RoundingMode.HALF_UP),
        true,
        tokens * 4 / 5,
        tokens / 5,
        2,
        steps - 2,
        failed ? 1 : 0,
        0,
        List.of("gpt-4o"),
        List.of("llm:gpt-4o ×2", "tool:search" + (steps > 3 ? " ×" + (steps - 2) : "")),
        null);
  }
}
