package io.agentledger.store;

import io.agentledger.store.paths.PathGroup;
import java.util.List;

/**
 * Aggregated paths: the stored runs of an agent ({@link RunStore}) grouped by the path they took,
 * each group summarized in the database, so building the prefix tree ({@link
 * io.agentledger.store.paths.PathTrees}) never reads every run.
 */
public interface PathQueries {

  /**
   * The distinct paths of the agent's runs that started in the range, each with its runs, errors,
   * cost and duration sums and distributions, and a few example chains; most runs first.
   *
   * @param project the project (tenant)
   * @param agent the agent
   * @param agentVersion only runs of this version, or empty for every version
   * @param range when the runs started
   * @return one group per distinct path
   */
  List<PathGroup> pathGroups(String project, String agent, String agentVersion, TimeRange range);
}
