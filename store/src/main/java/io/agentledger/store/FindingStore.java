package io.agentledger.store;

import java.util.List;

/** What the analyzer finds: anomalies (regressions are in {@link RegressionStore}). */
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
}
