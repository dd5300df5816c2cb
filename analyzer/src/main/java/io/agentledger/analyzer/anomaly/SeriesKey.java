package io.agentledger.analyzer.anomaly;

import io.agentledger.store.RunSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One series of runs compared with each other: the same agent, version, service and main model.
 *
 * @param agent the agent
 * @param agentVersion its version
 * @param service the service that ran it
 * @param model the run's most expensive model, or empty
 */
record SeriesKey(String agent, String agentVersion, String service, String model) {

  static SeriesKey of(RunSummary r) {
    return new SeriesKey(
        r.agent(), r.agentVersion(), r.service(), r.models().isEmpty() ? "" : r.models().get(0));
  }

  /** As an anomaly's subject: the keys that are not empty. */
  Map<String, String> subject() {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "agent", agent);
    put(out, "agentVersion", agentVersion);
    put(out, "service", service);
    put(out, "model", model);
    return out;
  }

  static void put(Map<String, String> out, String key, String value) {
    if (!value.isEmpty()) {
      out.put(key, value);
    }
  }
}
