package io.agentledger.store;

import java.util.Collection;
import java.util.List;

/**
 * The runs of agents derived at settlement ({@link RunSummary}): what aggregated paths and the
 * detectors read, so they never walk span trees.
 */
public interface RunStore {

  /**
   * Replaces every stored run of the given chains by {@code runs} (a re-settled chain may have
   * gained or lost runs). Idempotent.
   *
   * @param project the project (tenant)
   * @param traceIds the chains whose runs are replaced
   * @param runs the chains' runs now, all of this project
   */
  void replaceRuns(String project, Collection<String> traceIds, List<RunSummary> runs);

  /**
   * Runs that started in the range, oldest first; {@code agent} and {@code agentVersion} empty for
   * any.
   *
   * @param project the project (tenant)
   * @param agent the agent to match, or empty for all
   * @param agentVersion the version to match, or empty for all
   * @param range when the runs started
   * @param limit at most this many
   * @return the runs
   */
  List<RunSummary> runs(
      String project, String agent, String agentVersion, TimeRange range, int limit);
}
