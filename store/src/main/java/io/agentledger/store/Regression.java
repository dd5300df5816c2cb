package io.agentledger.store;

import java.time.Instant;
import java.util.Map;

/**
 * A metric that changed between two versions of an agent.
 *
 * @param project the project (tenant) it was found in
 * @param id stable id (re-detecting the same regression updates it)
 * @param agent the agent whose versions were compared
 * @param metric the metric compared; its unit is the unit of both values
 * @param baselineVersion the earlier agent version compared against
 * @param candidateVersion the newer agent version
 * @param baselineValue the metric's value for the baseline version
 * @param candidateValue the metric's value for the candidate version
 * @param change relative change, candidate versus baseline ({@code 0.25} = 25 % higher)
 * @param pValue the significance test's p-value, 0 to 1; lower is more significant
 * @param detectedAt when the analyzer (last) detected it
 * @param status {@code open} or {@code resolved}
 * @param attributes details (trace ids, sample sizes), as strings; null is read as empty
 */
public record Regression(
    String project,
    String id,
    String agent,
    String metric,
    String baselineVersion,
    String candidateVersion,
    double baselineValue,
    double candidateValue,
    double change,
    double pValue,
    Instant detectedAt,
    String status,
    Map<String, String> attributes) {
  /**
   * Validates the components and copies the attributes.
   *
   * @param project the project (tenant) it was found in
   * @param id stable id (re-detecting the same regression updates it)
   * @param agent the agent whose versions were compared
   * @param metric the metric compared; its unit is the unit of both values
   * @param baselineVersion the earlier agent version compared against
   * @param candidateVersion the newer agent version
   * @param baselineValue the metric's value for the baseline version
   * @param candidateValue the metric's value for the candidate version
   * @param change relative change, candidate versus baseline ({@code 0.25} = 25 % higher)
   * @param pValue the significance test's p-value, 0 to 1; lower is more significant
   * @param detectedAt when the analyzer (last) detected it
   * @param status {@code open} or {@code resolved}
   * @param attributes details (trace ids, sample sizes), as strings; null is read as empty
   */
  public Regression {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
