package io.agentledger.bench.regress;

import io.agentledger.store.RunSummary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs of an agent version shaped like real agent traffic: a run plans with a model, calls tools
 * (sometimes looping on one), and answers; tokens grow with the steps, cost follows tokens at the
 * model's price, latency is log-normal per model call plus tool time, a few runs fail. Each knob
 * scales one thing, so a benchmark can change latency alone, or cost alone.
 */
public final class RunGenerator {

  private final SplittableRandom rng;
  private String agent = "support-bot";
  private double latencyFactor = 1.0;
  private double priceFactor = 1.0;
  private double failureRate = 0.03;
  private Duration spacing = Duration.ofSeconds(30);

  public RunGenerator(long seed) {
    rng = new SplittableRandom(seed);
  }

  public RunGenerator agent(String name) {
    agent = name;
    return this;
  }

  /** Every run takes this many times as long (a slower model, a slower provider). */
  public RunGenerator latencyFactor(double factor) {
    latencyFactor = factor;
    return this;
  }

  /** Every token costs this many times as much. */
  public RunGenerator priceFactor(double factor) {
    priceFactor = factor;
    return this;
  }

  public RunGenerator failureRate(double rate) {
    failureRate = rate;
    return this;
  }

  /** Time between the starts of two runs. */
  public RunGenerator spacing(Duration d) {
    spacing = d;
    return this;
  }

  /** {@code n} runs of {@code version}, the first starting at {@code start}. */
  public List<RunSummary> runs(String version, Instant start, int n) {
    List<RunSummary> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(run(version, start.plus(spacing.multipliedBy(i))));
    }
    return out;
  }

  private RunSummary run(String version, Instant start) {
    int toolCalls = 1 + rng.nextInt(4);
    int loops = rng.nextDouble() < 0.1 ? 2 + rng.nextInt(4) : 0; // a tenth of runs loop on search
    int llmCalls = 1 + toolCalls + loops;
    long input = 0;
    long output = 0;
    double latency = 0;
    for (int c = 0; c < llmCalls; c++) {
      input += Math.round(900 * Math.exp(0.5 * gaussian()) + 250L * c); // context grows
      output += Math.round(180 * Math.exp(0.6 * gaussian()));
      latency += 850 * Math.exp(0.45 * gaussian());
    }
    for (int t = 0; t < toolCalls + loops; t++) {
      latency += 120 * Math.exp(0.8 * gaussian());
    }
    latency *= latencyFactor;
    double cost = priceFactor * (input * 2.5e-6 + output * 10e-6);
    boolean failed = rng.nextDouble() < failureRate;
    List<String> path = new ArrayList<>();
    path.add("llm:gpt-4o");
    path.add("tool:search" + (loops > 0 ? " ×" + (1 + loops) : ""));
    if (toolCalls > 1) {
      path.add("tool:lookup" + (toolCalls > 2 ? " ×" + (toolCalls - 1) : ""));
    }
    path.add("llm:gpt-4o");
    String trace = String.format("%016x%016x", rng.nextLong(), rng.nextLong());
    return new RunSummary(
        "bench",
        trace,
        trace.substring(0, 16),
        agent,
        version,
        "support-service",
        "",
        "",
        start,
        Math.round(latency),
        BigDecimal.valueOf(cost).setScale(8, RoundingMode.HALF_UP),
        true,
        input,
        output,
        llmCalls,
        toolCalls + loops,
        failed ? 1 : 0,
        0,
        List.of("gpt-4o"),
        path,
        Map.of());
  }

  private double gaussian() {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
