package io.agentledger.analyzer.regress;

import io.agentledger.store.Regression;
import io.agentledger.store.RunSummary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One detection cycle over a project's runs: every test it can make, then the changes that are both
 * statistically and practically significant.
 *
 * <ul>
 *   <li>Between versions: an agent's versions are ordered by number when every one is numbers and
 *       dots ({@code 1.9 < 1.10}, a leading {@code v} allowed: canaries often start the new version
 *       first), else by when their first run started; each version with {@code minRuns} runs is
 *       compared with the latest earlier version that has as many, metric by metric ({@link
 *       RunMetric}): Mann-Whitney U and Kolmogorov-Smirnov for the continuous metrics (the smaller
 *       p, doubled), Fisher's exact test for the error rate.
 *   <li>Within a version: each metric's series, in the order the runs ended ({@link #byEnd}: what a
 *       cycle sees of runs still going is then no bias), is split where it changed most
 *       (E-divisive), with a permutation test, when both sides keep {@code minRuns} runs; this is
 *       how a provider silently swapping the model behind a name shows. As the series is tested
 *       again every cycle, its p-value must also be at most {@code changePointP} (0.001).
 * </ul>
 *
 * Every p-value of the cycle is then adjusted together (Benjamini-Hochberg); a change is reported
 * when its adjusted p is at most the FDR level and its effect (relative change of the median, with
 * a bootstrap interval) is at least {@code minEffect}, worse or better.
 *
 * <p>Pure and deterministic: the same runs give the same regressions, ids and intervals (the
 * resampling is seeded by the regression's id), so a later cycle replaces what an earlier one
 * saved.
 */
public final class RegressionDetector {

  /** Chains of runs given as examples of a change, at most. */
  static final int EXAMPLES = 5;

  private final RegressionConfig config;

  public RegressionDetector(RegressionConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public RegressionConfig config() {
    return config;
  }

  /** {@link #detect(String, List, Instant)} of runs in any order, gathered by version. */
  public List<Regression> detectRuns(String project, List<RunSummary> runs, Instant now) {
    RunsByVersion gathered = new RunsByVersion(config.maxRunsPerVersion());
    runs.stream().sorted(Comparator.comparing(RunSummary::startTime)).forEach(gathered::add);
    return detect(project, gathered.versions(), now);
  }

  private static final java.util.regex.Pattern NUMBERED =
      java.util.regex.Pattern.compile("v?\\d+(\\.\\d+)*");

  /** By number when every version is numbered, else by first run; ties by first run, then name. */
  static Comparator<VersionRuns> versionOrder(List<VersionRuns> versions) {
    Comparator<VersionRuns> bySeen =
        Comparator.comparing(VersionRuns::firstSeen).thenComparing(VersionRuns::version);
    boolean numbered = versions.stream().allMatch(v -> NUMBERED.matcher(v.version()).matches());
    return numbered
        ? Comparator.comparing(VersionRuns::version, RegressionDetector::compareNumbered)
            .thenComparing(bySeen)
        : bySeen;
  }

  private static int compareNumbered(String a, String b) {
    String[] x = a.replaceFirst("^v", "").split("\\.");
    String[] y = b.replaceFirst("^v", "").split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      // Missing parts count as 0 (1.0 = 1); numbers compared by length, then digit by digit, so
      // any length of digits compares right without parsing.
      String p = i < x.length ? x[i].replaceFirst("^0+(?=.)", "") : "0";
      String q = i < y.length ? y[i].replaceFirst("^0+(?=.)", "") : "0";
      int c = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * The regressions in a project's runs, detected at {@code now}, most significant first.
   *
   * @param versions the runs per agent and version
   */
  public List<Regression> detect(String project, List<VersionRuns> versions, Instant now) {
    List<Candidate> candidates = new ArrayList<>();
    Map<String, List<VersionRuns>> byAgent = new TreeMap<>();
    for (VersionRuns v : versions) {
      byAgent.computeIfAbsent(v.agent(), a -> new ArrayList<>()).add(v);
    }
    byAgent.forEach(
        (agent, agentVersions) -> {
          List<VersionRuns> eligible =
              agentVersions.stream()
                  .filter(v -> v.recent().size() >= config.minRuns())
                  .sorted(versionOrder(agentVersions))
                  .toList();
          for (int i = 1; i < eligible.size(); i++) {
            betweenVersions(project, eligible.get(i - 1), eligible.get(i), candidates);
          }
          for (VersionRuns v : eligible) {
            withinVersion(project, v, candidates);
          }
        });
    double[] p = candidates.stream().mapToDouble(Candidate::pValue).toArray();
    double[] adjusted = BenjaminiHochberg.adjust(p);
    List<Regression> out = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      // A change point's series is tested again every cycle: its own p must meet a stricter level.
      boolean strictEnough =
          !c.kind.equals(Regression.CHANGE_POINT) || c.pValue() <= config.changePointP();
      if (adjusted[i] <= config.fdr() && strictEnough) {
        c.report(adjusted[i], now).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparingDouble(Regression::pValue).thenComparing(Regression::id));
    return out;
  }

  private void betweenVersions(
      String project, VersionRuns before, VersionRuns after, List<Candidate> out) {
    for (RunMetric metric : RunMetric.values()) {
      List<RunSummary> b = metric.measured(before.recent());
      List<RunSummary> a = metric.measured(after.recent());
      if (b.size() < config.minRuns() || a.size() < config.minRuns()) {
        continue;
      }
      double[] x = metric.values(b);
      double[] y = metric.values(a);
      double p =
          metric.binary()
              ? SampleTests.fisherExact(failures(x), x.length, failures(y), y.length)
              : SampleTests.shiftOrShape(x, y);
      String id =
          id(
              project,
              Regression.VERSION,
              before.agent(),
              metric,
              before.version(),
              after.version());
      out.add(
          new Candidate(
              project,
              id,
              Regression.VERSION,
              before.agent(),
              metric,
              before.version(),
              b,
              after.version(),
              a,
              p));
    }
  }

  /**
   * A version's runs in the order they ended. A run is stored when it ends (its chain settles), so
   * what a cycle sees is every run that ended by then: a prefix in end order, but not in start
   * order, where the newest runs are only the short (and cheap) ones that already ended — the long
   * ones that started as early are still running. In start order that right edge looks like a
   * change for the better; a burst of runs ending together looks like one too (its earliest
   * starters are its longest). In end order runs of an unchanged version are alike at every point.
   */
  static List<RunSummary> byEnd(List<RunSummary> runs) {
    return runs.stream()
        .sorted(
            // Ties (runs recorded in one batch) in no order of the metrics: by trace id.
            Comparator.comparing((RunSummary r) -> r.startTime().plusMillis(r.durationMs()))
                .thenComparing(RunSummary::traceId))
        .toList();
  }

  private void withinVersion(String project, VersionRuns version, List<Candidate> out) {
    List<RunSummary> ended = byEnd(version.recent());
    for (RunMetric metric : RunMetric.values()) {
      List<RunSummary> runs = metric.measured(ended);
      String id =
          id(
              project,
              Regression.CHANGE_POINT,
              version.agent(),
              metric,
              version.version(),
              version.version());
      Optional<ChangePoint.Split> split =
          ChangePoint.find(metric.values(runs), config.minRuns(), config.permutations(), seed(id));
      if (split.isEmpty()) {
        continue;
      }
      int at = split.get().index();
      out.add(
          new Candidate(
              project,
              id,
              Regression.CHANGE_POINT,
              version.agent(),
              metric,
              version.version(),
              runs.subList(0, at),
              version.version(),
              runs.subList(at, runs.size()),
              split.get().pValue()));
    }
  }

  private static int failures(double[] flags) {
    int n = 0;
    for (double f : flags) {
      n += f > 0 ? 1 : 0;
    }
    return n;
  }

  /** One test of the cycle, reported if it survives the adjustment and is large enough. */
  private final class Candidate {
    private final String project;
    private final String id;
    private final String kind;
    private final String agent;
    private final RunMetric metric;
    private final String beforeVersion;
    private final List<RunSummary> before;
    private final String afterVersion;
    private final List<RunSummary> after;
    private final double pValue;

    Candidate(
        String project,
        String id,
        String kind,
        String agent,
        RunMetric metric,
        String beforeVersion,
        List<RunSummary> before,
        String afterVersion,
        List<RunSummary> after,
        double pValue) {
      this.project = project;
      this.id = id;
      this.kind = kind;
      this.agent = agent;
      this.metric = metric;
      this.beforeVersion = beforeVersion;
      this.before = before;
      this.afterVersion = afterVersion;
      this.after = after;
      this.pValue = pValue;
    }

    double pValue() {
      return pValue;
    }

    Optional<Regression> report(double adjustedP, Instant now) {
      Effect e =
          Effect.estimate(
              metric.values(before),
              metric.values(after),
              metric.binary(),
              config.bootstrapResamples(),
              seed(id));
      if (e == null || Math.abs(e.effect()) < config.minEffect()) {
        return Optional.empty();
      }
      boolean worse = e.effect() > 0;
      return Optional.of(
          new Regression(
              project,
              id,
              kind,
              agent,
              metric.apiName(),
              segment(beforeVersion, before, e.beforeMedian()),
              segment(afterVersion, after, e.afterMedian()),
              e.effect(),
              e.low(),
              e.high(),
              adjustedP,
              worse ? Regression.WORSE : Regression.BETTER,
              now,
              examples(worse),
              Regression.FIRING,
              now));
    }

    /** The runs after the change that show it most: the highest values if worse, else lowest. */
    private List<String> examples(boolean worse) {
      Comparator<RunSummary> byValue = Comparator.comparingDouble(metric::value);
      Comparator<RunSummary> order =
          (worse ? byValue.reversed() : byValue)
              .thenComparing(RunSummary::startTime, Comparator.reverseOrder());
      Set<String> traces = new LinkedHashSet<>();
      for (RunSummary run : after.stream().sorted(order).toList()) {
        if (traces.size() == EXAMPLES) {
          break;
        }
        traces.add(run.traceId());
      }
      return List.copyOf(traces);
    }
  }

  private static Regression.Segment segment(String version, List<RunSummary> runs, double median) {
    Instant from = runs.stream().map(RunSummary::startTime).min(Comparator.naturalOrder()).get();
    Instant to = runs.stream().map(RunSummary::startTime).max(Comparator.naturalOrder()).get();
    return new Regression.Segment(version, from, to, median, runs.size());
  }

  /** A stable id: the same change of the same metric gets the same id in every cycle. */
  static String id(
      String project,
      String kind,
      String agent,
      RunMetric metric,
      String beforeVersion,
      String afterVersion) {
    String key =
        String.join("\u0000", project, kind, agent, metric.apiName(), beforeVersion, afterVersion);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "rg-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static long seed(String id) {
    return Long.parseUnsignedLong(id.substring(3), 16);
  }
}
