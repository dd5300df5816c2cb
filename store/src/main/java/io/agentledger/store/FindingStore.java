package io.agentledger.store;

import java.util.List;

/** What the analyzer finds: anomalies (regressions are in {@link RegressionStore}). */
public interface FindingStore {

  /**
   * Inserts or replaces anomalies (by project and id): saving an episode again updates it, so
   * several analyzers saving the same finding keep one record.
   *
   * @param anomalies the anomalies, of any projects
   */
  void saveAnomalies(List<Anomaly> anomalies);

  /**
   * Anomalies matching the query, last seen newest first, then by id.
   *
   * @param project the project (tenant)
   * @param query the range, filters, limit and page
   * @return the anomalies
   */
  List<Anomaly> anomalies(String project, AnomalyQuery query);
}
