package io.agentledger.store;

import java.util.List;

/** The regressions the analyzer finds in agents' runs ({@link Regression}). */
public interface RegressionStore {

  /**
   * Inserts or replaces regressions (by project and id).
   *
   * @param regressions the regressions
   */
  void saveRegressions(List<Regression> regressions);

  /**
   * Regressions detected in the range, newest first; {@code agent} empty for every agent.
   *
   * @param project the project (tenant)
   * @param range when they were detected
   * @param agent the agent to match, or empty for all
   * @return the regressions
   */
  List<Regression> regressions(String project, TimeRange range, String agent);
}
