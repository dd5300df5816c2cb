package io.agentledger.core.rollup;

import io.agentledger.core.logs.LogSpans;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.Usage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One provider request seen twice in a chain, as a span and as a log event. Two rules:
 *
 * <ul>
 *   <li>Claude Code with the traces beta reports each model call as a {@code
 *       claude_code.llm_request} span and as a {@code claude_code.api_request} event parented to
 *       the interaction. Two model calls are the same request when they carry the same provider
 *       response id ({@code gen_ai.response.id}) and the same usage; the one kept is a span from a
 *       trace (not made from a log event), else the first in tree order.
 *   <li>An OTel GenAI event ({@code gen_ai.client.inference.operation.details}) is parented to the
 *       call's own span. A model call made from a log event whose parent is a traced model call
 *       reporting usage (not estimated from text) repeats that call: the span is kept (it has the
 *       detail the event may lack, such as cache reads; OpenLIT's event carries only input and
 *       output tokens). When the parent reports no usage, the event stands in for it.
 * </ul>
 */
final class OneRequest {

  private static final String RESPONSE_ID = "gen_ai.response.id";

  private OneRequest() {}

  private record Key(String responseId, Usage usage) {}

  /** The span ids that repeat a request another span of the chain reports. */
  static Set<String> duplicates(ChainTree tree) {
    List<AgentSpan> order = tree.order();
    Map<String, AgentSpan> byId = new HashMap<>();
    for (AgentSpan s : order) {
      byId.put(s.spanId(), s);
    }
    Map<Key, AgentSpan> kept = new HashMap<>();
    Set<String> duplicates = new HashSet<>();
    for (AgentSpan s : order) {
      String parentId = tree.parentOf(s.spanId());
      AgentSpan parent = parentId == null ? null : byId.get(parentId);
      if (fromLog(s) && parent != null && repeats(s, parent)) {
        duplicates.add(s.spanId());
        continue;
      }
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

  /** A log-made call under the traced span of the same call, which reports usage itself. */
  private static boolean repeats(AgentSpan event, AgentSpan parent) {
    return event.type().isModelCall()
        && parent.type().isModelCall()
        && !fromLog(parent)
        && parent.usage().reported()
        && parent.cost().source() != CostSource.ESTIMATED; // counted from text: the event is better
  }

  private static boolean fromLog(AgentSpan s) {
    return s.attributes().containsKey(LogSpans.SOURCE_EVENT);
  }
}
