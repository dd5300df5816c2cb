package io.agentledger.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code GET /costs} can group by. Values are per span: {@link #AGENT} is the agent the span's
 * cost is attributed to (its nearest agent, settled with the chain), {@link #SESSION_ID} and {@link
 * #USER_ID} the chain's.
 */
public enum CostDimension {
  PROVIDER("provider"),
  MODEL("model"),
  AGENT("agent"),
  AGENT_VERSION("agentVersion"),
  SERVICE("service"),
  SERVICE_VERSION("serviceVersion"),
  TOOL("tool"),
  SESSION_ID("sessionId"),
  USER_ID("userId");

  private final String apiName;

  CostDimension(String apiName) {
    this.apiName = apiName;
  }

  /** The name used in the API ({@code groupBy=agentVersion}) and in group keys. */
  public String apiName() {
    return apiName;
  }

  public static Optional<CostDimension> fromApiName(String name) {
    for (CostDimension d : values()) {
      if (d.apiName.equalsIgnoreCase(name.trim()) || d.name().equalsIgnoreCase(name.trim())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** A group's key as the API shows it: each dimension's API name to the group's value. */
  public static Map<String, String> keyMap(List<CostDimension> dims, List<String> values) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < dims.size(); i++) {
      m.put(dims.get(i).apiName(), values.get(i));
    }
    return m;
  }

  @Override
  public String toString() {
    return apiName.toLowerCase(Locale.ROOT);
  }
}
