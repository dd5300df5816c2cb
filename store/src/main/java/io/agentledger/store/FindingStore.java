package io.agentledger.store;

import java.util.List;

/** What the analyzer finds: anomalies and regressions. */
public interface FindingStore {

  /** Inserts or replaces anomalies (by project and id). */
  void saveAnomalies(List<Anomaly> anomalies);

  /** Anomalies detected in the range, newest first; {@code status} empty for any status. */
  List<Anomaly> anomalies(String project, TimeRange range, String status);

  /** Inserts or replaces regressions (by project and id). */
  void saveRegressions(List<Regression> regressions);

  /** Regressions detected in the range, newest first. */
  List<Regression> regressions(String project, TimeRange range);
}
