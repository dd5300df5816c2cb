package io.agentledger.analyzer.regress;

import io.agentledger.store.Regression;
import io.agentledger.store.RegressionStore;
import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import io.agentledger.store.TimeRange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a regression detection cycle for every project on a fixed interval: reads the look-back's
 * runs from the {@link RunStore} page by page (keeping the most recent runs of each version), hands
 * them to the {@link RegressionDetector} and saves what it reports. A change found again keeps the
 * time it was first detected.
 *
 * <p>Its own scheduler for now; the anomaly detection cycle may call {@link #runOnce} instead.
 */
public final class RegressionRunner implements AutoCloseable {

  /** Runs read per store round trip. */
  static final int PAGE = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(RegressionRunner.class);

  private final RunStore runs;
  private final RegressionStore regressions;
  private final RegressionDetector detector;
  private final Supplier<? extends Collection<String>> projects;
  private final Clock clock;
  private final int pageSize;
  private final Counter detected;
  private final Counter failures;
  private final Timer cycleTime;
  private @Nullable ScheduledExecutorService executor; // null unless started

  /**
   * @param runs where the runs are read
   * @param regressions where the regressions are saved
   * @param projects the projects to look at, asked each cycle
   */
  public RegressionRunner(
      RunStore runs,
      RegressionStore regressions,
      RegressionDetector detector,
      Supplier<? extends Collection<String>> projects,
      Clock clock,
      MeterRegistry registry) {
    this(runs, regressions, detector, projects, clock, registry, PAGE);
  }

  RegressionRunner(
      RunStore runs,
      RegressionStore regressions,
      RegressionDetector detector,
      Supplier<? extends Collection<String>> projects,
      Clock clock,
      MeterRegistry registry,
      int pageSize) {
    this.pageSize = pageSize;
    this.runs = Objects.requireNonNull(runs, "runs");
    this.regressions = Objects.requireNonNull(regressions, "regressions");
    this.detector = Objects.requireNonNull(detector, "detector");
    this.projects = Objects.requireNonNull(projects, "projects");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.detected =
        Counter.builder("agentledger.analyzer.regressions.detected")
            .description("Regressions reported by detection cycles (re-detections counted again)")
            .register(registry);
    this.failures =
        Counter.builder("agentledger.analyzer.regressions.failures")
            .description("Regression cycles of a project that failed")
            .register(registry);
    this.cycleTime =
        Timer.builder("agentledger.analyzer.regressions.duration")
            .description("Time of one regression detection cycle over every project")
            .register(registry);
  }

  /** Detects in the background every {@code interval} until {@link #close}. */
  public synchronized void start(Duration interval) {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "regression-detector");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One cycle over every project; a project that fails is logged and counted, and the others go on.
   *
   * @return how many regressions were saved
   */
  public int runOnce() {
    long start = System.nanoTime();
    int saved = 0;
    for (String project : List.copyOf(projects.get())) {
      try {
        saved += runProject(project);
      } catch (RuntimeException e) {
        failures.increment();
        LOG.warn("Regression detection for project {} failed: {}", project, e.toString(), e);
      }
    }
    cycleTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return saved;
  }

  /**
   * One cycle over one project.
   *
   * @return how many regressions were saved
   */
  public int runProject(String project) {
    Instant now = clock.instant();
    TimeRange lookback = new TimeRange(now.minus(detector.config().lookback()), now);
    List<Regression> found = detector.detect(project, read(project, lookback), now);
    if (found.isEmpty()) {
      return 0;
    }
    Map<String, Instant> firstDetected = new HashMap<>();
    TimeRange ever = new TimeRange(Instant.EPOCH, now.plusSeconds(1));
    for (Regression r : regressions.regressions(project, ever, "")) {
      firstDetected.put(r.id(), r.detectedAt());
    }
    List<Regression> toSave = new ArrayList<>(found.size());
    for (Regression r : found) {
      Instant first = firstDetected.get(r.id());
      toSave.add(first == null ? r : withDetectedAt(r, first));
    }
    regressions.saveRegressions(toSave);
    detected.increment(toSave.size());
    return toSave.size();
  }

  /**
   * The look-back's runs, oldest first, page by page: the next page starts at the last run's start,
   * skipping the runs of that instant already read.
   */
  private List<VersionRuns> read(String project, TimeRange range) {
    RunsByVersion gathered = new RunsByVersion(detector.config().maxRunsPerVersion());
    Instant from = range.from();
    Set<String> atFrom = new HashSet<>();
    while (true) {
      List<RunSummary> page = runs.runs(project, "", "", new TimeRange(from, range.to()), pageSize);
      Instant last = from;
      Set<String> atLast = new HashSet<>();
      for (RunSummary run : page) {
        String key = run.traceId() + "/" + run.spanId();
        if (run.startTime().equals(from) && atFrom.contains(key)) {
          continue;
        }
        gathered.add(run);
        if (run.startTime().isAfter(last)) {
          last = run.startTime();
          atLast.clear();
        }
        atLast.add(key);
      }
      if (page.size() < pageSize) {
        break;
      }
      if (last.equals(from)) {
        // A whole page at one instant: step past it rather than read it forever.
        last = from.plusNanos(1);
        atLast.clear();
        LOG.warn(
            "More than {} runs of project {} started at {}; some skipped", pageSize, project, from);
      }
      from = last;
      atFrom = atLast;
    }
    return gathered.versions();
  }

  private static Regression withDetectedAt(Regression r, Instant detectedAt) {
    return new Regression(
        r.project(),
        r.id(),
        r.kind(),
        r.agent(),
        r.metric(),
        r.before(),
        r.after(),
        r.effect(),
        r.effectLow(),
        r.effectHigh(),
        r.pValue(),
        r.direction(),
        detectedAt,
        r.exampleTraceIds());
  }

  /** Stops the background cycles, waiting up to {@code timeout} for one in progress. */
  public synchronized void close(Duration timeout) {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
    executor = null;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
