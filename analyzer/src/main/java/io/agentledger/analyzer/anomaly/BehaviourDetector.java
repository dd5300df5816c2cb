package io.agentledger.analyzer.anomaly;

import io.agentledger.store.Anomaly;
import io.agentledger.store.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Behaviours of new runs, per agent version: the ones {@link RunBehaviours} found at settlement
 * (tool loops, ping-pong hand-offs, runaway context) and transitions between steps never seen in
 * the version's baseline runs. A behaviour's episodes clear once the version's last {@value
 * RunOutlierDetector#CLEAR_RUNS} runs are free of it.
 */
final class BehaviourDetector {

  static final String TOOL_LOOP = RunBehaviours.TOOL_LOOP;
  static final String PING_PONG = RunBehaviours.PING_PONG;
  static final String RUNAWAY_CONTEXT = RunBehaviours.RUNAWAY_CONTEXT;
  static final String NEW_TRANSITION = "new_transition";
  static final int CRITICAL_REPEATS = 10;

  /**
   * Baseline runs a version needs before a transition counts as never seen: a usual path taken by
   * one run in five is missing from 200 runs with probability 0.8^200, about 4e-20.
   */
  static final int NEW_TRANSITION_MIN_BASELINE = 200;

  private static final int MAX_EXAMPLES = 5;

  private final DetectionSettings settings;

  BehaviourDetector(DetectionSettings settings) {
    this.settings = settings;
  }

  /** A version's transitions before an hour, kept while that hour is the baseline's end. */
  private record Seen(long baselineEnd, int runs, Set<String> transitions) {}

  private final Map<List<String>, Seen> seen = new HashMap<>();

  /**
   * The observations of one agent version's new runs.
   *
   * @param project the project
   * @param agent the agent
   * @param version its version
   * @param fresh the version's runs new this cycle
   * @param series the runs of each of the version's series in the window, each oldest first
   */
  List<Observation> detect(
      String project,
      String agent,
      String version,
      List<RunSummary> fresh,
      List<List<RunPoint>> series) {
    List<RunPoint> latest = latest(series, RunOutlierDetector.CLEAR_RUNS);
    Map<String, String> scope = new LinkedHashMap<>();
    SeriesKey.put(scope, "agent", agent);
    SeriesKey.put(scope, "agentVersion", version);
    List<Observation> out = new ArrayList<>();
    List<RunSummary> ordered = new ArrayList<>(fresh);
    ordered.sort(Comparator.comparing(RunSummary::startTime));
    for (String kind : List.of(TOOL_LOOP, PING_PONG, RUNAWAY_CONTEXT)) {
      Map<String, List<RunSummary>> byValue = new LinkedHashMap<>();
      for (RunSummary r : ordered) {
        String value = r.behaviours().get(kind);
        if (value != null) {
          byValue.computeIfAbsent(value, v -> new ArrayList<>()).add(r);
        }
      }
      byValue.forEach((value, runs) -> out.add(behaviour(kind, scope, value, runs)));
      if (byValue.isEmpty() && lastRunsFree(latest, kind)) {
        out.add(Observation.clearAll(kind, scope));
      }
    }
    out.addAll(newTransitions(project, scope, ordered, series));
    return out;
  }

  /** The last {@code n} runs across the series, oldest first. */
  private static List<RunPoint> latest(List<List<RunPoint>> series, int n) {
    List<RunPoint> tails = new ArrayList<>();
    for (List<RunPoint> runs : series) {
      tails.addAll(runs.subList(Math.max(0, runs.size() - n), runs.size()));
    }
    tails.sort(Comparator.comparingLong(RunPoint::startNanos));
    return tails.subList(Math.max(0, tails.size() - n), tails.size());
  }

  private static boolean lastRunsFree(List<RunPoint> latest, String kind) {
    if (latest.size() < RunOutlierDetector.CLEAR_RUNS) {
      return false;
    }
    for (int i = 0; i < latest.size(); i++) {
      if (latest.get(i).behaviours().containsKey(kind)) {
        return false;
      }
    }
    return true;
  }

  private static Observation behaviour(
      String kind, Map<String, String> scope, String value, List<RunSummary> runs) {
    Map<String, String> subject = new LinkedHashMap<>(scope);
    RunSummary worst = runs.get(0);
    double worstValue = -1;
    String metric;
    String valueKey;
    double high;
    switch (kind) {
      case TOOL_LOOP -> {
        subject.put("tool", value);
        metric = "identical_tool_calls";
        valueKey = TOOL_LOOP + ".calls";
        high = RunBehaviours.LOOP_MIN_CALLS - 1;
      }
      case PING_PONG -> {
        subject.put("agents", value);
        metric = "handoffs";
        valueKey = PING_PONG + ".handoffs";
        high = RunBehaviours.PING_PONG_MIN_AGENTS - 2;
      }
      default -> {
        subject.put("model", value);
        metric = "context_acceleration";
        valueKey = RUNAWAY_CONTEXT + ".acceleration";
        high = RunBehaviours.RUNAWAY_MIN_ACCELERATION;
      }
    }
    for (RunSummary r : runs) {
      double v = number(r.behaviours().get(valueKey));
      if (v > worstValue) {
        worst = r;
        worstValue = v;
      }
    }
    Map<String, String> detail = new LinkedHashMap<>();
    String prefix = kind + ".";
    worst
        .behaviours()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                detail.put(camel(k.substring(prefix.length())), v);
              }
            });
    detail.put("runs", Integer.toString(runs.size()));
    String severity =
        kind.equals(RUNAWAY_CONTEXT) || worstValue < CRITICAL_REPEATS
            ? Anomaly.WARNING
            : Anomaly.CRITICAL;
    return new Observation(
        kind,
        subject,
        metric,
        true,
        false,
        worstValue,
        new Anomaly.Band(0, high),
        worstValue,
        severity,
        runs.get(0).startTime(),
        runs.get(runs.size() - 1).startTime(),
        runs.stream().map(RunSummary::traceId).distinct().limit(MAX_EXAMPLES).toList(),
        detail);
  }

  /**
   * Transitions of new runs never seen in the version's runs of the window before the hour the new
   * runs begin in (at least {@value #NEW_TRANSITION_MIN_BASELINE} of them; computed once an hour).
   * Scored by their surprisal under add-one smoothing, {@code ln(n + 1)} for n baseline runs.
   */
  private List<Observation> newTransitions(
      String project,
      Map<String, String> scope,
      List<RunSummary> fresh,
      List<List<RunPoint>> series) {
    Instant earliest = fresh.get(0).startTime();
    long hour = 3_600_000_000_000L;
    long baselineEnd =
        Math.floorDiv(earliest.getEpochSecond() * 1_000_000_000L + earliest.getNano(), hour) * hour;
    List<String> cacheKey = List.of(project, scope.toString());
    Seen known = seen.get(cacheKey);
    if (known == null || known.baselineEnd() != baselineEnd) {
      // Runs share a few paths: their transitions are taken once per path.
      Set<List<String>> paths = new HashSet<>();
      int runs = 0;
      for (List<RunPoint> s : series) {
        for (RunPoint p : s) {
          if (p.startNanos() < baselineEnd) {
            runs++;
            paths.add(p.path());
          }
        }
      }
      Set<String> transitions = new HashSet<>();
      paths.forEach(p -> transitions.addAll(transitions(p)));
      known = new Seen(baselineEnd, runs, transitions);
      seen.put(cacheKey, known);
    }
    int baselineRuns = known.runs();
    if (baselineRuns < Math.max(settings.minBaseline(), NEW_TRANSITION_MIN_BASELINE)) {
      return List.of();
    }
    Set<String> seenBefore = known.transitions();
    Map<String, List<RunSummary>> unseen = new LinkedHashMap<>();
    for (RunSummary r : fresh) {
      for (String t : transitions(r.path())) {
        if (!seenBefore.contains(t)) {
          unseen.computeIfAbsent(t, k -> new ArrayList<>()).add(r);
        }
      }
    }
    List<Observation> out = new ArrayList<>();
    double surprisal = Math.log(baselineRuns + 1.0);
    int n = baselineRuns;
    unseen.forEach(
        (t, runs) -> {
          Map<String, String> subject = new LinkedHashMap<>(scope);
          subject.put("transition", t);
          out.add(
              new Observation(
                  NEW_TRANSITION,
                  subject,
                  "transition_runs",
                  true,
                  false,
                  runs.size(),
                  new Anomaly.Band(0, 0),
                  surprisal,
                  Anomaly.WARNING,
                  runs.get(0).startTime(),
                  runs.get(runs.size() - 1).startTime(),
                  runs.stream().map(RunSummary::traceId).distinct().limit(MAX_EXAMPLES).toList(),
                  Map.of("baselineRuns", Integer.toString(n))));
        });
    return out;
  }

  /** The path's transitions, {@code a → b}, repeat counts dropped ({@code tool:x ×3} is tool:x). */
  static Set<String> transitions(List<String> path) {
    Set<String> out = new HashSet<>();
    String previous = null;
    for (String step : path) {
      int times = step.lastIndexOf(" ×");
      String name = times < 0 ? step : step.substring(0, times);
      if (previous != null && !previous.equals(name)) {
        out.add(previous + " → " + name);
      }
      previous = name;
    }
    return out;
  }

  private static double number(@Nullable String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code wasted_cost_usd} → {@code wastedCostUsd}. */
  static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }
}
