package io.agentledger.store;

import java.time.Instant;
import java.util.Map;

/**
 * A metric that changed between two versions of an agent.
 *
 * @param change relative change, candidate versus baseline ({@code 0.25} = 25 % higher)
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
  /** Validates the components and copies the attributes. */
  public Regression {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
