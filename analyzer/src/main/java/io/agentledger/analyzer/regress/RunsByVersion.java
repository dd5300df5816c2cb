package io.agentledger.analyzer.regress;

import io.agentledger.store.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Gathers runs into {@link VersionRuns} per agent and version, keeping only the most recent {@code
 * cap} runs of each in start order, so a cycle's memory is bounded however many runs it reads. A
 * run added again (read twice) is kept once. Runs without an agent or a version are left out: there
 * is nothing to compare them with.
 */
public final class RunsByVersion {

  private static final Comparator<RunSummary> START_ORDER =
      Comparator.comparing(RunSummary::startTime)
          .thenComparing(RunSummary::traceId)
          .thenComparing(RunSummary::spanId);

  private final int cap;
  private final Map<List<String>, Gathered> byVersion = new LinkedHashMap<>();

  public RunsByVersion(int cap) {
    this.cap = cap;
  }

  /** Adds a run, in any order. */
  public void add(RunSummary run) {
    if (run.agent().isEmpty() || run.agentVersion().isEmpty()) {
      return;
    }
    Gathered g =
        byVersion.computeIfAbsent(
            List.of(run.agent(), run.agentVersion()), k -> new Gathered(run.startTime()));
    if (run.startTime().isBefore(g.firstSeen)) {
      g.firstSeen = run.startTime();
    }
    if (g.recent.size() >= cap && START_ORDER.compare(run, g.recent.first()) < 0) {
      return; // older than every run kept: it was dropped before, or would be now
    }
    if (g.recent.add(run) && g.recent.size() > cap) {
      g.recent.pollFirst();
    }
  }

  /** What was gathered, one entry per agent and version. */
  public List<VersionRuns> versions() {
    List<VersionRuns> out = new ArrayList<>(byVersion.size());
    byVersion.forEach(
        (key, g) ->
            out.add(
                new VersionRuns(key.get(0), key.get(1), g.firstSeen, new ArrayList<>(g.recent))));
    return out;
  }

  private static final class Gathered {
    private Instant firstSeen;
    private final TreeSet<RunSummary> recent = new TreeSet<>(START_ORDER);

    Gathered(Instant firstSeen) {
      this.firstSeen = firstSeen;
    }
  }
}
