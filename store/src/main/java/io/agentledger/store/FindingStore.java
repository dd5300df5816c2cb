package io.agentledger.store;

import java.util.List;

/** What the analyzer finds: anomalies and regressions. */
public interface FindingStore {

  /**
   * Inserts or replaces anomalies (by project and id).
   *
   * @param anomalies the anomalies
   */
  void saveAnomalies(List<Anomaly> anomalies);

  /**
   * Anomalies detected in the range, newest first; {@code status} empty for any status.
   *
   * @param project the project (tenant)
   * @param range the time range
   * @param status the status to match, or empty for any
   * @return the anomalies
   */
  List<Anomaly> anomalies(String project, TimeRange range, String status);

  /**
   * Inserts or replaces regressions (by project and id).
   *
   * @param regressions the regressions
   */
  void saveRegressions(List<Regression> regressions);

  /**
   * Regressions detected in the range, newest first.
   *
   * @param project the project (tenant)
   * @param range the time range
   * @return the regressions
   */
  List<Regression> regressions(String project, TimeRange range);
}
