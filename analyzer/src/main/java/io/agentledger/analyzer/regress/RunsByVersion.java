package io.agentledger.analyzer.regress;

import io.agentledger.store.RunSummary;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers runs, oldest first, into {@link VersionRuns} per agent and version, keeping only the most
 * recent {@code cap} runs of each, so a cycle's memory is bounded however many runs it reads. Runs
 * without an agent or a version are left out: there is nothing to compare them with.
 */
public final class RunsByVersion {

  private final int cap;
  private final Map<List<String>, Gathered> byVersion = new LinkedHashMap<>();

  public RunsByVersion(int cap) {
    this.cap = cap;
  }

  /** Adds a run; runs are expected oldest first. */
  public void add(RunSummary run) {
    if (run.agent().isEmpty() || run.agentVersion().isEmpty()) {
      return;
    }
    Gathered g =
        byVersion.computeIfAbsent(
            List.of(run.agent(), run.agentVersion()), k -> new Gathered(run.startTime()));
    g.total++;
    if (run.startTime().isBefore(g.firstSeen)) {
      g.firstSeen = run.startTime();
    }
    g.recent.addLast(run);
    if (g.recent.size() > cap) {
      g.recent.removeFirst();
    }
  }

  /** What was gathered, one entry per agent and version. */
  public List<VersionRuns> versions() {
    List<VersionRuns> out = new ArrayList<>(byVersion.size());
    byVersion.forEach(
        (key, g) ->
            out.add(
                new VersionRuns(
                    key.get(0), key.get(1), g.firstSeen, g.total, new ArrayList<>(g.recent))));
    return out;
  }

  private static final class Gathered {
    private Instant firstSeen;
    private long total;
    private final ArrayDeque<RunSummary> recent = new ArrayDeque<>();

    Gathered(Instant firstSeen) {
      this.firstSeen = firstSeen;
    }
  }
}
