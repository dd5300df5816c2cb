package io.agentledger.core.rollup;

import io.agentledger.core.logs.LogSpans;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.Usage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One provider request seen twice in a chain: Claude Code with the traces beta reports each model
 * call as a {@code claude_code.llm_request} span and as a {@code claude_code.api_request} log
 * event. Two model calls are the same request when they carry the same provider response id ({@code
 * gen_ai.response.id}) and the same usage; the one kept is a span from a trace (not made from a log
 * event), else the first in tree order.
 */
final class OneRequest {

  private static final String RESPONSE_ID = "gen_ai.response.id";

  private OneRequest() {}

  private record Key(String responseId, Usage usage) {}

  /** The span ids that repeat a request another span of the chain reports. */
  static Set<String> duplicates(List<AgentSpan> order) {
    Map<Key, AgentSpan> kept = new HashMap<>();
    Set<String> duplicates = new HashSet<>();
    for (AgentSpan s : order) {
      String responseId = s.attributes().getOrDefault(RESPONSE_ID, "");
      if (responseId.isEmpty() || !s.type().isModelCall() || !s.usage().reported()) {
        continue;
      }
      Key key = new Key(responseId, s.usage());
      AgentSpan first = kept.putIfAbsent(key, s);
      if (first == null) {
        continue;
      }
      if (fromLog(first) && !fromLog(s)) {
        kept.put(key, s);
        duplicates.add(first.spanId());
      } else {
        duplicates.add(s.spanId());
      }
    }
    return duplicates;
  }

  private static boolean fromLog(AgentSpan s) {
    return s.attributes().containsKey(LogSpans.SOURCE_EVENT);
  }
}
