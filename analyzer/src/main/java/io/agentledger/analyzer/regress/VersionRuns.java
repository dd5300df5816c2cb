package io.agentledger.analyzer.regress;

import io.agentledger.store.RunSummary;
import java.time.Instant;
import java.util.List;

/**
 * The runs of one version of one agent that a detection cycle compares.
 *
 * @param agent the agent
 * @param version its version ({@code gen_ai.agent.version}, else {@code service.version})
 * @param firstSeen when its first run (in the cycle's look-back) started: versions are ordered by
 *     it
 * @param recent its most recent runs, oldest first (all of them, up to a cap)
 */
public record VersionRuns(
    String agent, String version, Instant firstSeen, List<RunSummary> recent) {

  public VersionRuns {
    recent = List.copyOf(recent);
  }
}
