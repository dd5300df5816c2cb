package io.agentledger.bench.anomaly;

import io.agentledger.analyzer.anomaly.AnomalyListener;
import io.agentledger.analyzer.anomaly.DetectionCycle;
import io.agentledger.analyzer.anomaly.DetectionSettings;
import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.Results;
import io.agentledger.store.Anomaly;
import io.agentledger.store.FindingStore;
import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Ground truth for anomaly detection: a week of clean runs over {@code series} agents as baseline,
 * a second clean week judged cycle by cycle (every anomaly raised there is false), then a 3× cost
 * spike of the busiest agent, a tool loop and a ping-pong, each until it is found and after it
 * stops until it resolves. A last part times one cycle over 10,000 series.
 */
public final class AnomalyBench {

  static final String SECTION = "Anomaly detection";
  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z"); // a Monday
  private static final Duration CYCLE = Duration.ofMinutes(10);

  /**
   * Cycles of the clean week: every new run is judged whatever the cycle's length, so a longer
   * cycle keeps the week's CPU time within the benchmark's budget on a shared machine.
   */
  private static final Duration CLEAN_CYCLE = Duration.ofMinutes(30);

  private AnomalyBench() {}

  /** A clock the benchmark moves. */
  static final class SimClock extends Clock {
    private Instant now;

    SimClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** The stores the benchmark writes runs to and keeps anomalies in. */
  public record Stores(RunStore runs, FindingStore findings, String name) {}

  /** What the listener saw. */
  private static final class Seen implements AnomalyListener {
    final List<String> log = new ArrayList<>();
    final List<Anomaly> fired = new ArrayList<>();
    final List<Anomaly> resolved = new ArrayList<>();

    @Override
    public void onTransition(Anomaly a, Transition t) {
      log.add(t + " " + a.kind());
      if (t == Transition.RESOLVED) {
        resolved.add(a);
      } else {
        fired.add(a);
      }
    }
  }

  public static void run(int series, Stores stores, Results results, String command) {
    run(series, 42, stores, results, command);
  }

  /** The ground truth with the workload of another seed (other agents' volumes and costs). */
  public static void run(int series, long seed, Stores stores, Results results, String command) {
    RunWorkload workload = new RunWorkload(series, seed);
    SimClock clock = new SimClock(START);
    long t0 = System.nanoTime();
    int stored = 0;
    Instant t = START;
    // The judged week starts at noon, so the anomalies injected after it begin at a busy hour.
    Instant judged = START.plus(Duration.ofDays(7)).plus(Duration.ofHours(12));
    for (; t.isBefore(judged); t = t.plus(CYCLE)) {
      stored +=
          write(
              stores.runs(), workload.runs(t, t.plus(CYCLE), Map.of(), RunWorkload.Injection.NONE));
    }
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    Seen seen = new Seen();
    DetectionSettings settings = settings();
    clock.set(t);
    DetectionCycle cycle =
        new DetectionCycle(
            stores.runs(),
            stores.findings(),
            () -> List.of(RunWorkload.PROJECT),
            clock,
            settings,
            seen,
            new SimpleMeterRegistry());
    long loadStart = System.nanoTime();
    cycle.runOnce();
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

    // --- a clean week, every cycle judged -------------------------------------------------
    Latencies cycleTimes = new Latencies();
    int cleanRuns = 0;
    Instant cleanEnd = judged.plus(Duration.ofDays(7));
    for (; t.isBefore(cleanEnd); t = t.plus(CLEAN_CYCLE)) {
      cleanRuns +=
          write(
              stores.runs(),
              workload.runs(t, t.plus(CLEAN_CYCLE), Map.of(), RunWorkload.Injection.NONE));
      clock.set(t.plus(CLEAN_CYCLE));
      long s = System.nanoTime();
      cycle.runOnce();
      cycleTimes.add(System.nanoTime() - s);
    }
    seen.fired.stream()
        .limit(8)
        .forEach(
            a ->
                results.note(
                    String.format(
                        Locale.ROOT,
                        "False anomaly in the clean week: %s %s %s observed %.4g, expected %.4g–%.4g,"
                            + " score %.2f, first %s, last %s, %s",
                        a.kind(),
                        a.subject(),
                        a.metric(),
                        a.observed(),
                        a.expected().low(),
                        a.expected().high(),
                        a.score(),
                        a.firstSeen(),
                        a.lastSeen(),
                        a.detail())));
    Map<String, Integer> falseByKind = new TreeMap<>();
    seen.fired.forEach(a -> falseByKind.merge(a.kind() + "/" + a.metric(), 1, Integer::sum));
    int falseAnomalies = seen.fired.size();
    double seriesDays = series * 7.0;
    String sizes =
        String.format(
            Locale.ROOT,
            "%,d series, %,d baseline runs, %,d judged runs, %d cycles of %d min",
            series,
            stored,
            cleanRuns,
            Duration.ofDays(7).dividedBy(CLEAN_CYCLE),
            CLEAN_CYCLE.toMinutes());
    results.add(
        SECTION,
        "false anomalies over seven clean days (" + sizes + ", store " + stores.name() + ")",
        String.format(
            Locale.ROOT,
            "%d = %.2f per 1,000 series-days %s",
            falseAnomalies,
            falseAnomalies / seriesDays * 1000,
            falseByKind),
        "≤ 1 per 1,000 series-days",
        falseAnomalies / seriesDays * 1000 <= 1,
        command);
    results.add(
        SECTION,
        "detection cycle over " + series + " series (store " + stores.name() + ")",
        cycleTimes.summary()
            + String.format(
                Locale.ROOT,
                "; first cycle (reads the 7-day window, %,d runs) %.1f s; writing them %.1f s",
                stored,
                loadSeconds,
                writeSeconds),
        command);

    // --- a 3x cost spike of the busiest agent ------------------------------------------------
    RunWorkload.Agent spiking = workload.busiest();
    seen.fired.clear();
    seen.resolved.clear();
    Predicate<Anomaly> spike =
        a ->
            a.kind().equals("run_outlier")
                && a.metric().equals("cost_usd")
                && a.agent().equals(spiking.name());
    int[] found =
        episode(
            workload,
            stores,
            cycle,
            clock,
            t,
            Map.of(spiking.name(), 3.0),
            RunWorkload.Injection.NONE,
            spike,
            seen);
    t = t.plus(CYCLE.multipliedBy(found[2]));
    Anomaly spikeAnomaly = seen.fired.stream().filter(spike).findFirst().orElse(null);
    results.add(
        SECTION,
        String.format(
            Locale.ROOT,
            "3× cost spike of the busiest agent (%.0f runs/h at peak, median $%.3f a run)",
            spiking.runsPerHour() * 1.7,
            spiking.medianCost()),
        spikeAnomaly == null
            ? "not found"
            : String.format(
                Locale.ROOT,
                "found in cycle %d after the spike began (observed $%.3f, expected $%.3f–$%.3f,"
                    + " score %.1f, %s); resolved %s cycles after it ended",
                found[0],
                spikeAnomaly.observed(),
                spikeAnomaly.expected().low(),
                spikeAnomaly.expected().high(),
                spikeAnomaly.score(),
                spikeAnomaly.severity(),
                found[1] < 0 ? "not" : Integer.toString(found[1])),
        "found within one cycle; resolves",
        found[0] == 1 && found[1] >= 0,
        command);

    // --- a tool loop and a ping-pong ------------------------------------------------------------
    List<RunWorkload.Agent> byVolume = new ArrayList<>(workload.agents());
    byVolume.sort((a, b) -> Double.compare(b.runsPerHour(), a.runsPerHour()));
    for (RunWorkload.Behaviour b :
        List.of(RunWorkload.Behaviour.TOOL_LOOP, RunWorkload.Behaviour.PING_PONG)) {
      RunWorkload.Agent agent = byVolume.get(b == RunWorkload.Behaviour.TOOL_LOOP ? 1 : 2);
      String kind = b == RunWorkload.Behaviour.TOOL_LOOP ? "tool_loop" : "ping_pong";
      seen.fired.clear();
      seen.resolved.clear();
      Predicate<Anomaly> match = a -> a.kind().equals(kind) && a.agent().equals(agent.name());
      int[] r =
          episode(
              workload,
              stores,
              cycle,
              clock,
              t,
              Map.of(),
              a -> a == agent ? b : RunWorkload.Behaviour.NONE,
              match,
              seen);
      t = t.plus(CYCLE.multipliedBy(r[2]));
      Anomaly a = seen.fired.stream().filter(match).findFirst().orElse(null);
      results.add(
          SECTION,
          kind.replace('_', ' ')
              + " of one agent ("
              + String.format(Locale.ROOT, "%.0f", agent.runsPerHour())
              + " runs/h)",
          a == null
              ? "not found"
              : String.format(
                  Locale.ROOT,
                  "found in cycle %d (%s); resolved %s cycles after it stopped",
                  r[0],
                  a.detail(),
                  r[1] < 0 ? "not" : Integer.toString(r[1])),
          "flagged; resolves when it stops",
          r[0] >= 1 && r[1] >= 0,
          command);
    }
  }

  /** One-minute cycles timed after the first: they cross the hour and ten past it. */
  private static final int SCALE_CYCLES = 12;

  /**
   * Times detection over {@code series} series (1/5 to 2 runs an hour each) with a week of runs
   * stored: the first cycle, which reads the whole window (as a cycle does again every six hours),
   * then a cycle a minute in which every series has a new run. The first of them starts a new hour
   * (every series' per-run baseline is taken afresh), the tenth judges the hourly rates.
   */
  public static void scale(int series, Stores stores, Results results, String command) {
    RunWorkload workload = new RunWorkload(series, 7, 0.2, 2);
    Instant t = START;
    Instant end = START.plus(Duration.ofDays(7));
    int stored = 0;
    long w0 = System.nanoTime();
    for (; t.isBefore(end); t = t.plus(Duration.ofHours(1))) {
      stored +=
          write(
              stores.runs(),
              workload.runs(t, t.plus(Duration.ofHours(1)), Map.of(), RunWorkload.Injection.NONE));
    }
    double writeSeconds = (System.nanoTime() - w0) / 1e9;
    SimClock clock = new SimClock(t);
    DetectionCycle cycle =
        new DetectionCycle(
            stores.runs(),
            stores.findings(),
            () -> List.of(RunWorkload.PROJECT),
            clock,
            settings(),
            AnomalyListener.NONE,
            new SimpleMeterRegistry());
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    DetectionCycle.Result first = cycle.runOnce();
    double firstCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    Latencies touched = new Latencies();
    long[] nanos = new long[SCALE_CYCLES];
    long[] cpu = new long[SCALE_CYCLES];
    int touchedSeries = 0;
    for (int i = 0; i < SCALE_CYCLES; i++) {
      write(stores.runs(), workload.onePerAgent(t, Duration.ofMinutes(1)));
      t = t.plus(Duration.ofMinutes(1));
      clock.set(t);
      long c = threads.getCurrentThreadCpuTime();
      DetectionCycle.Result r = cycle.runOnce();
      cpu[i] = threads.getCurrentThreadCpuTime() - c;
      nanos[i] = r.duration().toNanos();
      touched.add(nanos[i]);
      touchedSeries = r.newRuns();
    }
    double slowest = java.util.Arrays.stream(nanos).max().orElse(0) / 1e9;
    double firstSeconds = first.duration().toMillis() / 1000.0;
    results.add(
        SECTION,
        String.format(
            Locale.ROOT,
            "detection cycle over %,d series, each with a new run (%,d runs in the 7-day window,"
                + " store %s)",
            touchedSeries,
            stored,
            stores.name()),
        touched.summary()
            + String.format(
                Locale.ROOT,
                "; CPU of the cycle's thread p50 %.1f s; the first of the hour (every baseline"
                    + " anew) %.1f s (CPU %.1f s), the one judging hourly rates %.1f s (CPU %.1f s);"
                    + " the first cycle, reading the window (again every 6 h): %.1f s (CPU %.1f s);"
                    + " writing the week: %.0f s",
                median(cpu) / 1e9,
                nanos[0] / 1e9,
                cpu[0] / 1e9,
                nanos[9] / 1e9,
                cpu[9] / 1e9,
                firstSeconds,
                firstCpu,
                writeSeconds),
        "within the cycle (default 1 min)",
        Math.max(slowest, firstSeconds) < 60,
        command);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * Runs cycles with an anomaly injected for two hours, then without it until it resolves (at most
   * six hours). Returns {cycle it was found in (−1: never), cycles to resolve after it stopped (−1:
   * never), cycles run}.
   */
  private static int[] episode(
      RunWorkload workload,
      Stores stores,
      DetectionCycle cycle,
      SimClock clock,
      Instant from,
      Map<String, Double> factor,
      RunWorkload.Injection inject,
      Predicate<Anomaly> match,
      Seen seen) {
    int foundIn = -1;
    int resolvedIn = -1;
    int cycles = 0;
    Instant t = from;
    int injected = (int) (Duration.ofHours(2).toMinutes() / CYCLE.toMinutes());
    for (int i = 0; i < injected; i++, t = t.plus(CYCLE), cycles++) {
      write(stores.runs(), workload.runs(t, t.plus(CYCLE), factor, inject));
      clock.set(t.plus(CYCLE));
      cycle.runOnce();
      if (foundIn < 0 && seen.fired.stream().anyMatch(match)) {
        foundIn = i + 1;
      }
    }
    int after = (int) (Duration.ofHours(6).toMinutes() / CYCLE.toMinutes());
    for (int i = 0; i < after; i++, t = t.plus(CYCLE), cycles++) {
      write(stores.runs(), workload.runs(t, t.plus(CYCLE), Map.of(), RunWorkload.Injection.NONE));
      clock.set(t.plus(CYCLE));
      cycle.runOnce();
      if (seen.resolved.stream().anyMatch(match)) {
        resolvedIn = i + 1;
        cycles++;
        break;
      }
    }
    return new int[] {foundIn, resolvedIn, cycles};
  }

  private static int write(RunStore store, List<RunSummary> runs) {
    Map<String, List<RunSummary>> byTrace = new HashMap<>();
    runs.forEach(r -> byTrace.computeIfAbsent(r.traceId(), k -> new ArrayList<>()).add(r));
    store.replaceRuns(RunWorkload.PROJECT, byTrace.keySet(), runs);
    return runs.size();
  }

  static DetectionSettings settings() {
    DetectionSettings d = DetectionSettings.defaults();
    return new DetectionSettings(
        CYCLE,
        d.window(),
        d.minBaseline(),
        d.threshold(),
        d.relativeFloor(),
        d.costFloorUsd(),
        d.tokenFloor(),
        d.durationFloorMs(),
        d.cooldown(),
        d.resolveAfter());
  }
}
