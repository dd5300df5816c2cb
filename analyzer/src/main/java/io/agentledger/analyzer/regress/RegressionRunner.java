package io.agentledger.analyzer.regress;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.analyzer.lease.LeasedSchedule;
import io.agentledger.analyzer.notify.Notifications;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a regression detection cycle for every project on a fixed interval: reads runs from the
 * {@link RunStore} page by page, keeps the most recent runs of each version in memory, hands them
 * to the {@link RegressionDetector}, and turns what it reports into episodes ({@link
 * RegressionLifecycle}: firing, resolved, each transition published to the notification outbox). A
 * change found again keeps the time it was first detected.
 *
 * <p>The first cycle of a project reads its whole look-back; later cycles read only the runs that
 * started since the last cycle, less {@value #LATENESS_MINUTES} minutes for chains that settled
 * late, and every {@value #RELOAD_HOURS} hours the look-back is read afresh (runs that settled
 * later still, versions that left the look-back).
 *
 * <p>Its own scheduler for now; the anomaly detection cycle may call {@link #runOnce} instead.
 */
public final class RegressionRunner implements AutoCloseable {

  /** Runs read per store round trip. */
  static final int PAGE = 10_000;

  static final int LATENESS_MINUTES = 30;
  static final int RELOAD_HOURS = 6;

  private static final Logger LOG = LoggerFactory.getLogger(RegressionRunner.class);

  private final RunStore runs;
  private final RegressionStore regressions;
  private final RegressionDetector detector;
  private final RegressionLifecycle lifecycle;
  private final Supplier<? extends Collection<String>> projects;
  private final Clock clock;
  private final int pageSize;
  private final Counter detected;
  private final Counter failures;
  private final Timer cycleTime;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final LeasedSchedule schedule = new LeasedSchedule("regression-detector");

  /** A project's runs kept between cycles. */
  private static final class Held {
    private final RunsByVersion runs;
    private final Instant loadedAt;
    private Instant readUpTo;

    Held(RunsByVersion runs, Instant loadedAt) {
      this.runs = runs;
      this.loadedAt = loadedAt;
      this.readUpTo = loadedAt;
    }
  }

  /**
   * @param runs where the runs are read
   * @param regressions where the regressions are saved
   * @param notifications where their transitions (firing, resolved) are published
   * @param projects the projects to look at, asked each cycle
   */
  public RegressionRunner(
      RunStore runs,
      RegressionStore regressions,
      Notifications notifications,
      RegressionDetector detector,
      Supplier<? extends Collection<String>> projects,
      Clock clock,
      MeterRegistry registry) {
    this(runs, regressions, notifications, detector, projects, clock, registry, PAGE);
  }

  RegressionRunner(
      RunStore runs,
      RegressionStore regressions,
      Notifications notifications,
      RegressionDetector detector,
      Supplier<? extends Collection<String>> projects,
      Clock clock,
      MeterRegistry registry,
      int pageSize) {
    this.pageSize = pageSize;
    this.runs = Objects.requireNonNull(runs, "runs");
    this.regressions = Objects.requireNonNull(regressions, "regressions");
    this.detector = Objects.requireNonNull(detector, "detector");
    this.lifecycle =
        new RegressionLifecycle(
            regressions,
            Objects.requireNonNull(notifications, "notifications"),
            detector.config().resolveAfter());
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
  public void start(Duration interval) {
    start(interval, Lease.ALWAYS);
  }

  /**
   * Detects in the background every {@code interval}, when this instance holds the lease, until
   * {@link #close}.
   */
  public void start(Duration interval, Lease lease) {
    schedule.start(interval, interval, lease, this::runOnce);
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
   * @return how many regressions were found and are current (not superseded)
   */
  public int runProject(String project) {
    Instant now = clock.instant();
    List<VersionRuns> versions = read(project, now);
    List<Regression> found = detector.detect(project, versions, now);
    RegressionLifecycle.Outcome outcome =
        lifecycle.apply(project, found, latestVersions(versions), now);
    int current = (int) outcome.saved().stream().filter(Regression::firing).count();
    detected.increment(current);
    return current;
  }

  /** Per agent, its newest version with enough runs to be compared (what supersedes the others). */
  private Map<String, String> latestVersions(List<VersionRuns> versions) {
    Map<String, List<VersionRuns>> byAgent = new HashMap<>();
    for (VersionRuns v : versions) {
      if (v.recent().size() >= detector.config().minRuns()) {
        byAgent.computeIfAbsent(v.agent(), a -> new ArrayList<>()).add(v);
      }
    }
    Map<String, String> latest = new HashMap<>();
    byAgent.forEach(
        (agent, vs) ->
            latest.put(
                agent,
                vs.stream()
                    .max(RegressionDetector.versionOrder(vs))
                    .map(VersionRuns::version)
                    .orElseThrow()));
    return latest;
  }

  /** The runs of the look-back, per version: read afresh, or only what is new since last time. */
  private List<VersionRuns> read(String project, Instant now) {
    Instant lookbackStart = now.minus(detector.config().lookback());
    Held h = held.get(project);
    Instant from;
    if (h == null || !now.isBefore(h.loadedAt.plus(Duration.ofHours(RELOAD_HOURS)))) {
      h = new Held(new RunsByVersion(detector.config().maxRunsPerVersion()), now);
      held.put(project, h);
      from = lookbackStart;
    } else {
      from = h.readUpTo.minus(Duration.ofMinutes(LATENESS_MINUTES));
      from = from.isBefore(lookbackStart) ? lookbackStart : from;
    }
    if (from.isBefore(now)) {
      readInto(h.runs, project, new TimeRange(from, now));
    }
    h.readUpTo = now;
    return h.runs.versions();
  }

  /**
   * Reads the runs of a range, oldest first, page by page: the next page starts at the last run's
   * start (runs read twice are kept once).
   */
  private void readInto(RunsByVersion into, String project, TimeRange range) {
    Instant from = range.from();
    while (true) {
      List<RunSummary> page = runs.runs(project, "", "", new TimeRange(from, range.to()), pageSize);
      page.forEach(into::add);
      if (page.size() < pageSize) {
        return;
      }
      Instant last = page.get(page.size() - 1).startTime();
      if (last.equals(from)) {
        // A whole page at one instant: step past it rather than read it forever.
        LOG.warn(
            "More than {} runs of project {} started at {}; some skipped", pageSize, project, from);
        last = from.plusNanos(1);
      }
      from = last;
    }
  }

  /** Stops the background cycles, waiting up to {@code timeout} for one in progress. */
  public void close(Duration timeout) {
    schedule.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
