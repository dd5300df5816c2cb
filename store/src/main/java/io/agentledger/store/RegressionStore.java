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
   * Regressions active at some time in the range (detected before its end, last seen at or after
   * its start, as anomalies are listed), newest detected first; {@code agent} empty for every
   * agent. A regression detected last week and still found today is in today's range.
   *
   * @param project the project (tenant)
   * @param range when they were active
   * @param agent the agent to match, or empty for all
   * @return the regressions
   */
  List<Regression> regressions(String project, TimeRange range, String agent);
}
