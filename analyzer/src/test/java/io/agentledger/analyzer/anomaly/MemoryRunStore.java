package io.agentledger.analyzer.anomaly;

import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import io.agentledger.store.TimeRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** A {@link RunStore} in memory, for unit tests of the detectors. */
final class MemoryRunStore implements RunStore {

  private final List<RunSummary> runs = new ArrayList<>();

  @Override
  public synchronized void replaceRuns(
      String project, Collection<String> traceIds, List<RunSummary> replacement) {
    runs.removeIf(r -> r.project().equals(project) && traceIds.contains(r.traceId()));
    runs.addAll(replacement);
  }

  synchronized void add(List<RunSummary> more) {
    runs.addAll(more);
  }

  @Override
  public synchronized List<RunSummary> runs(
      String project, String agent, String agentVersion, TimeRange range, int limit) {
    return runs.stream()
        .filter(r -> r.project().equals(project))
        .filter(r -> agent.isEmpty() || r.agent().equals(agent))
        .filter(r -> agentVersion.isEmpty() || r.agentVersion().equals(agentVersion))
        .filter(r -> !r.startTime().isBefore(range.from()) && r.startTime().isBefore(range.to()))
        .sorted(Comparator.comparing(RunSummary::startTime).thenComparing(RunSummary::traceId))
        .limit(limit)
        .toList();
  }
}
