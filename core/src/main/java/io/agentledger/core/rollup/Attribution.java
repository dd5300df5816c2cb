package io.agentledger.core.rollup;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanType;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The attribution pass: the agent each span works for. The nearest enclosing agent span wins (a
 * span of type agent, named by its agent name, else its span name); without one, the nearest agent
 * name any enclosing span carries; without either, {@link ChainRollup#UNATTRIBUTED}.
 */
final class Attribution {

  private final ChainTree tree;
  private final Map<String, AgentSpan> nearestAgentSpan;
  private final Map<String, String> agentOf;

  private Attribution(
      ChainTree tree, Map<String, AgentSpan> nearestAgentSpan, Map<String, String> agentOf) {
    this.tree = tree;
    this.nearestAgentSpan = nearestAgentSpan;
    this.agentOf = agentOf;
  }

  static Attribution of(ChainTree tree) {
    Map<String, AgentSpan> nearestAgentSpan = new HashMap<>();
    Map<String, String> namedAgent = new HashMap<>();
    Map<String, String> agentOf = new HashMap<>(tree.size() * 2);
    for (AgentSpan s : tree.order()) { // parents first: a span inherits from its parent
      String parent = tree.parentOf(s.spanId());
      AgentSpan typed =
          s.type() == SpanType.AGENT ? s : parent == null ? null : nearestAgentSpan.get(parent);
      if (typed != null) {
        nearestAgentSpan.put(s.spanId(), typed);
      }
      String named =
          !s.semantics().agentName().isEmpty()
              ? s.semantics().agentName()
              : parent == null ? null : namedAgent.get(parent);
      if (named != null) {
        namedAgent.put(s.spanId(), named);
      }
      agentOf.put(
          s.spanId(),
          typed != null ? agentName(typed) : named != null ? named : ChainRollup.UNATTRIBUTED);
    }
    return new Attribution(tree, nearestAgentSpan, agentOf);
  }

  /** The agent the span's cost is attributed to exclusively. */
  String agentOf(AgentSpan s) {
    return agentOf.get(s.spanId());
  }

  /** Every distinct agent at or above the span: its cost rolls up into each of them once. */
  Set<String> inclusiveAgents(AgentSpan s) {
    Set<String> names = new LinkedHashSet<>();
    names.add(agentOf(s));
    AgentSpan agent = nearestAgentSpan.get(s.spanId());
    while (agent != null) {
      names.add(agentName(agent));
      String parent = tree.parentOf(agent.spanId());
      agent = parent == null ? null : nearestAgentSpan.get(parent);
    }
    return names;
  }

  private static String agentName(AgentSpan agentSpan) {
    String name = agentSpan.semantics().agentName();
    return name.isEmpty() ? agentSpan.name() : name;
  }
}
