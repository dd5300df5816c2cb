package io.agentledger.analyzer.anomaly;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.analyzer.lease.LeasedSchedule;
import io.agentledger.store.Anomaly;
import io.agentledger.store.FindingStore;
import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anomaly detection cycle: every {@code interval}, for each project, reads the runs stored
 * since the last cycle ({@link RunWindow}), runs the detectors on the series that changed — robust
 * per-run outliers ({@link RunOutlierDetector}), behaviours ({@link BehaviourDetector}) and, once
 * per completed hour, seasonal rates ({@link RateDetector}) — and turns what they observe into
 * episodes ({@link AnomalyLifecycle}), reported to an {@link AnomalyListener} (which publishes
 * them) and then saved through {@link FindingStore#saveAnomalies}. A cycle that fails half-way
 * forgets what it read, so the next one observes the same transitions again.
 *
 * <p>It reads stored features only ({@link RunStore#runs}, {@link FindingStore#anomalies}), so it
 * works the same on every store; ids are derived from the data, so several analyzer instances raise
 * each finding once (they upsert the same record).
 */
public final class DetectionCycle implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DetectionCycle.class);

  /** How far back each cycle reads runs again: chains settle after they go quiet. */
  static final Duration LATENESS = Duration.ofMinutes(30);

  /** How long after an hour ends its rates are judged: its chains have settled by then. */
  static final Duration RATE_LAG = Duration.ofMinutes(10);

  /** How often a project's window is read afresh, to take in runs that settled very late. */
  static final Duration FULL_RELOAD = Duration.ofHours(6);

  private final RunStore runs;
  private final Supplier<? extends Collection<String>> projects;
  private final Clock clock;
  private final DetectionSettings settings;
  private final AnomalyLifecycle lifecycle;
  private final RunOutlierDetector outliers;
  private final RateDetector rates;
  private final BehaviourDetector behaviours;
  private final DetectionMetrics metrics;
  private final Map<String, RunWindow> windows = new HashMap<>();
  private final Map<String, Instant> windowLoaded = new HashMap<>();
  private final Map<String, Instant> ratesJudged = new HashMap<>();
  private final Object cycleLock = new Object();
  private final LeasedSchedule schedule = new LeasedSchedule("anomaly-detection");

  /**
   * @param runs where the runs are read
   * @param findings where anomalies are read and saved
   * @param projects the projects to watch, asked at every cycle
   * @param listener told about every episode that fires, reopens or resolves
   */
  public DetectionCycle(
      RunStore runs,
      FindingStore findings,
      Supplier<? extends Collection<String>> projects,
      Clock clock,
      DetectionSettings settings,
      AnomalyListener listener,
      MeterRegistry registry) {
    this.runs = Objects.requireNonNull(runs, "runs");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = new DetectionMetrics(registry);
    AnomalyListener counted =
        (a, t) -> {
          metrics.transition(a.kind(), t);
          listener.onTransition(a, t);
        };
    this.lifecycle = new AnomalyLifecycle(findings, settings, counted);
    this.outliers = new RunOutlierDetector(settings);
    this.rates = new RateDetector(settings);
    this.behaviours = new BehaviourDetector(settings);
  }

  /**
   * What one cycle did.
   *
   * @param newRuns runs read for the first time
   * @param series run series held
   * @param observations what the detectors observed
   * @param transitions episodes that fired, reopened or resolved
   * @param firing episodes firing after the cycle
   * @param duration how long it took
   */
  public record Result(
      int newRuns,
      int series,
      int observations,
      List<Anomaly> transitions,
      List<Anomaly> firing,
      Duration duration) {}

  /** Runs a cycle every {@code interval} in the background until {@link #close}. */
  public void start() {
    start(Lease.ALWAYS);
  }

  /**
   * Runs a cycle every {@code interval} in the background, when this instance holds the lease,
   * until {@link #close}.
   */
  public void start(Lease lease) {
    schedule.start(settings.interval(), settings.interval(), lease, this::runSafely);
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      metrics.failed();
      LOG.warn("Anomaly detection failed, will retry: {}", e.toString(), e);
    }
  }

  /** One cycle over every project. */
  public Result runOnce() {
    synchronized (cycleLock) {
      return cycle();
    }
  }

  private Result cycle() {
    long start = System.nanoTime();
    Instant now = clock.instant();
    int newRuns = 0;
    int observed = 0;
    int series = 0;
    List<Anomaly> transitions = new ArrayList<>();
    List<Anomaly> firing = new ArrayList<>();
    for (String project : List.copyOf(projects.get())) {
      List<Observation> observations = new ArrayList<>();
      AnomalyLifecycle.Outcome outcome;
      try {
        newRuns += detect(project, now, observations);
        observed += observations.size();
        outcome = lifecycle.apply(project, observations, now);
      } catch (RuntimeException e) {
        // The runs read are marked read only in memory: forget them, so the next cycle reloads
        // the window and observes (and publishes) the same transitions again.
        forget(project);
        throw e;
      }
      outcome.changes().forEach(c -> transitions.add(c.anomaly()));
      firing.addAll(outcome.firing());
      RunWindow window = windows.get(project);
      series += window == null ? 0 : window.seriesCount();
    }
    long nanos = System.nanoTime() - start;
    metrics.cycle(nanos, series, newRuns, firing);
    return new Result(newRuns, series, observed, transitions, firing, Duration.ofNanos(nanos));
  }

  private void forget(String project) {
    windows.remove(project);
    windowLoaded.remove(project);
    ratesJudged.remove(project);
  }

  private int detect(String project, Instant now, List<Observation> out) {
    Instant loaded = windowLoaded.get(project);
    boolean reload = loaded == null || !now.isBefore(loaded.plus(FULL_RELOAD));
    RunWindow window = windows.get(project);
    if (window == null || reload) {
      window = new RunWindow(project);
      windows.put(project, window);
      windowLoaded.put(project, now);
    }
    Instant windowStart = now.minus(settings.window());
    // A (re)loaded window holds the whole baseline: only its latest runs count as new.
    Map<SeriesKey, List<RunSummary>> fresh = window.refresh(runs, now, settings.window(), LATENESS);
    int count = 0;
    Map<List<String>, List<RunSummary>> byVersion = new LinkedHashMap<>();
    for (Map.Entry<SeriesKey, List<RunSummary>> e : fresh.entrySet()) {
      SeriesKey key = e.getKey();
      count += e.getValue().size();
      out.addAll(outliers.detect(project, key, window.runs(key), e.getValue().size()));
      byVersion
          .computeIfAbsent(List.of(key.agent(), key.agentVersion()), k -> new ArrayList<>())
          .addAll(e.getValue());
    }
    if (!byVersion.isEmpty()) {
      Map<List<String>, List<List<RunPoint>>> versionSeries = new HashMap<>();
      for (Map.Entry<SeriesKey, List<RunPoint>> e : window.allSeries()) {
        List<String> version = List.of(e.getKey().agent(), e.getKey().agentVersion());
        if (byVersion.containsKey(version)) {
          versionSeries.computeIfAbsent(version, k -> new ArrayList<>()).add(e.getValue());
        }
      }
      for (Map.Entry<List<String>, List<RunSummary>> e : byVersion.entrySet()) {
        out.addAll(
            behaviours.detect(
                project,
                e.getKey().get(0),
                e.getKey().get(1),
                e.getValue(),
                versionSeries.getOrDefault(e.getKey(), List.of())));
      }
    }
    RunWindow held = window;
    outliers.retain(project, k -> !held.runs(k).isEmpty());
    Instant hour = RateDetector.lastCompleteHour(now, RATE_LAG);
    if (!hour.equals(ratesJudged.get(project))) {
      out.addAll(rates.detect(window, hour, windowStart));
      ratesJudged.put(project, hour);
    }
    return count;
  }

  /** Stops the background cycle, waiting up to {@code timeout} for one in progress. */
  public void close(Duration timeout) {
    schedule.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
