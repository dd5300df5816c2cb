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
  /** Group by the provider that served the call. */
  PROVIDER("provider"),
  /** Group by model. */
  MODEL("model"),
  /** Group by agent name. */
  AGENT("agent"),
  /** Group by agent name and version. */
  AGENT_VERSION("agentVersion"),
  /** Group by service name. */
  SERVICE("service"),
  /** Group by service name and version. */
  SERVICE_VERSION("serviceVersion"),
  /** Group by tool name. */
  TOOL("tool"),
  /** Group by session (conversation) id. */
  SESSION_ID("sessionId"),
  /** Group by user id. */
  USER_ID("userId");

  private final String apiName;

  CostDimension(String apiName) {
    this.apiName = apiName;
  }

  /**
   * The name used in the API ({@code groupBy=agentVersion}) and in group keys.
   *
   * @return the API name
   */
  public String apiName() {
    return apiName;
  }

  /**
   * The dimension with this API name.
   *
   * @param name the API name, e.g. {@code agentVersion}
   * @return the dimension, or empty for an unknown name
   */
  public static Optional<CostDimension> fromApiName(String name) {
    for (CostDimension d : values()) {
      if (d.apiName.equalsIgnoreCase(name.trim()) || d.name().equalsIgnoreCase(name.trim())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /**
   * A group's key as the API shows it: each dimension's API name to the group's value.
   *
   * @param dims the grouping dimensions, in query order
   * @param values the group's value for each dimension, in the same order
   * @return a map in dimension order from API name to value
   */
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
