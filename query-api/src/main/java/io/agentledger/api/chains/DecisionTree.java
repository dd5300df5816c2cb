package io.agentledger.api.chains;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /chains/{traceId}/decisions}: the decisions taken along a chain. Filled by the
 * analyzer; empty until it has examined the chain.
 */
public record DecisionTree(String traceId, List<Node> nodes, List<Edge> edges) {

  public record Node(
      String id, String spanId, String label, String kind, Map<String, String> attributes) {}

  public record Edge(String from, String to, String label) {}
}
