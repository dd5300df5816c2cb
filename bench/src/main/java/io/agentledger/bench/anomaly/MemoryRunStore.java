package io.agentledger.bench.anomaly;

import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import io.agentledger.store.TimeRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Runs in memory, ordered by start: the detector's cost alone, without a database's. */
final class MemoryRunStore implements RunStore {

  private final NavigableMap<Instant, List<RunSummary>> byStart = new TreeMap<>();
  private final Map<String, List<RunSummary>> byTrace = new HashMap<>();

  @Override
  public synchronized void replaceRuns(
      String project, Collection<String> traceIds, List<RunSummary> runs) {
    for (String traceId : traceIds) {
      for (RunSummary old : byTrace.getOrDefault(traceId, List.of())) {
        List<RunSummary> at = byStart.get(old.startTime());
        if (at != null) {
          at.remove(old);
        }
      }
      byTrace.remove(traceId);
    }
    for (RunSummary r : runs) {
      byStart.computeIfAbsent(r.startTime(), t -> new ArrayList<>()).add(r);
      byTrace.computeIfAbsent(r.traceId(), t -> new ArrayList<>()).add(r);
    }
  }

  @Override
  public synchronized List<RunSummary> runs(
      String project, String agent, String agentVersion, TimeRange range, int limit) {
    List<RunSummary> out = new ArrayList<>();
    for (List<RunSummary> at : byStart.subMap(range.from(), true, range.to(), false).values()) {
      for (RunSummary r : at) {
        if (r.project().equals(project)
            && (agent.isEmpty() || r.agent().equals(agent))
            && (agentVersion.isEmpty() || r.agentVersion().equals(agentVersion))) {
          out.add(r);
          if (out.size() >= limit) {
            return out;
          }
        }
      }
    }
    return out;
  }
}
