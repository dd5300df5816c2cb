package io.agentledger.core.rollup;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.StatusCode;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes a chain's totals, breakdowns and cost tree from its spans. A pure function: the same
 * spans in any order, with any duplicates, give the same result. Iterative throughout, so a chain
 * of 100,000 nested spans does not exhaust the stack; parent cycles (which a client can send) are
 * broken at their earliest span.
 */
public final class ChainRollup {

  /** The agent name for cost no agent span encloses. */
  public static final String UNATTRIBUTED = "";

  private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(Cost.SCALE);

  private static final Comparator<AgentSpan> BY_START =
      Comparator.comparingLong(AgentSpan::startEpochNanos).thenComparing(AgentSpan::spanId);

  /** Of two copies of one span (a replay, a retry), the one to keep; deterministic. */
  private static final Comparator<AgentSpan> PREFERRED =
      Comparator.comparingLong(AgentSpan::endEpochNanos)
          .thenComparingLong((AgentSpan s) -> s.usage().totalTokens())
          .thenComparing((AgentSpan s) -> s.cost().amountOrZero())
          .thenComparing(AgentSpan::name)
          .thenComparingInt((AgentSpan s) -> s.attributes().size());

  private ChainRollup() {}

  /**
   * Rolls up one chain.
   *
   * @param input the chain's spans (one project, one trace id), in any order, duplicates allowed
   * @throws IllegalArgumentException when there are no spans or they belong to several traces
   */
  public static ChainRollupResult compute(Collection<AgentSpan> input) {
    if (input.isEmpty()) {
      throw new IllegalArgumentException("a chain has at least one span");
    }
    Map<String, AgentSpan> byId = dedupe(input);
    List<AgentSpan> spans = new ArrayList<>(byId.values());
    spans.sort(BY_START);

    Map<String, List<AgentSpan>> children = new HashMap<>();
    List<AgentSpan> roots = new ArrayList<>();
    for (AgentSpan s : spans) {
      String parent = s.parentSpanId();
      if (parent.isEmpty() || !byId.containsKey(parent)) {
        roots.add(s);
      } else {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
      }
    }
    List<AgentSpan> order = breadthFirst(spans, roots, children);
    Map<String, String> treeParent = new HashMap<>(order.size() * 2);
    for (AgentSpan s : order) {
      for (AgentSpan child : children.getOrDefault(s.spanId(), List.of())) {
        treeParent.put(child.spanId(), s.spanId());
      }
    }
    roots.sort(
        Comparator.comparing((AgentSpan s) -> !s.isRoot())
            .thenComparing(BY_START)); // true root first

    // Post-order: does anything below a span carry usage?
    Set<String> carriesBelow = new HashSet<>();
    for (int i = order.size() - 1; i >= 0; i--) {
      AgentSpan s = order.get(i);
      if (s.carriesUsage() || carriesBelow.contains(s.spanId())) {
        String parent = treeParent.get(s.spanId());
        if (parent != null) {
          carriesBelow.add(parent);
        }
      }
    }

    Map<String, AgentSpan> nearestAgentSpan = new HashMap<>();
    Map<String, String> namedAgent = new HashMap<>();
    Map<String, String> agentOf = new HashMap<>();
    Set<String> counted = new LinkedHashSet<>();
    Map<String, BillingRole> corrections = new TreeMap<>();
    for (AgentSpan s : order) {
      String parent = treeParent.get(s.spanId());
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
          s.spanId(), typed != null ? agentName(typed) : named != null ? named : UNATTRIBUTED);

      boolean isCounted =
          (s.carriesUsage() || s.billingRole() == BillingRole.BILLABLE)
              && !carriesBelow.contains(s.spanId());
      if (isCounted) {
        counted.add(s.spanId());
      }
      BillingRole treeRole =
          isCounted
              ? BillingRole.BILLABLE
              : s.carriesUsage() ? BillingRole.ROLLUP : BillingRole.NONE;
      if (treeRole != s.billingRole()) {
        corrections.put(s.spanId(), treeRole);
      }
    }

    Totals totals = new Totals();
    Map<String, AgentAcc> agents = new LinkedHashMap<>();
    Map<String, ModelAcc> models = new LinkedHashMap<>();
    for (AgentSpan s : order) {
      String agent = agentOf.getOrDefault(s.spanId(), UNATTRIBUTED);
      AgentAcc acc = null;
      if (s.type() == SpanType.TOOL) {
        acc = agents.computeIfAbsent(agent, AgentAcc::new);
        acc.toolCalls++;
        totals.toolCalls++;
      }
      if (s.status().code() == StatusCode.ERROR) {
        totals.errors++;
      }
      if (!counted.contains(s.spanId())) {
        continue;
      }
      acc = acc != null ? acc : agents.computeIfAbsent(agent, AgentAcc::new);
      Cost cost = s.cost();
      boolean known = cost.isKnown();
      BigDecimal amount = cost.amountOrZero();
      boolean modelCall = s.type().isModelCall();
      totals.add(s, amount, known, modelCall);
      acc.exclusive = acc.exclusive.add(amount);
      acc.usage = acc.usage.plus(s.usage());
      acc.llmCalls += modelCall ? 1 : 0;
      acc.unpriced += known ? 0 : 1;
      for (String name : inclusiveAgents(s, agent, nearestAgentSpan, treeParent)) {
        AgentAcc up = agents.computeIfAbsent(name, AgentAcc::new);
        up.inclusive = up.inclusive.add(amount);
      }
      if (modelCall || s.usage().reported()) {
        String provider = s.semantics().provider();
        String model = s.semantics().model();
        ModelAcc m =
            models.computeIfAbsent(provider + "\u0000" + model, k -> new ModelAcc(provider, model));
        m.cost = m.cost.add(amount);
        m.calls += 1;
        m.usage = m.usage.plus(s.usage());
        m.unpriced += known ? 0 : 1;
      }
    }

    List<TreeNode> tree = buildTree(order, roots, children, counted, carriesBelow, agentOf);
    AgentSpan root = roots.get(0);
    ChainSummary summary = summarize(root, order, agentOf, totals);
    return new ChainRollupResult(
        summary,
        agents.values().stream()
            .filter(
                a ->
                    a.inclusive.signum() > 0
                        || a.exclusive.signum() > 0
                        || a.llmCalls > 0
                        || a.toolCalls > 0
                        || a.unpriced > 0)
            .map(AgentAcc::toCost)
            .sorted(
                Comparator.comparing(AgentCost::inclusiveCostUsd)
                    .reversed()
                    .thenComparing(AgentCost::agent))
            .toList(),
        models.values().stream()
            .map(ModelAcc::toCost)
            .sorted(
                Comparator.comparing(ModelCost::costUsd)
                    .reversed()
                    .thenComparing(ModelCost::provider)
                    .thenComparing(ModelCost::model))
            .toList(),
        tree,
        Set.copyOf(counted),
        Map.copyOf(corrections));
  }

  private static Map<String, AgentSpan> dedupe(Collection<AgentSpan> input) {
    Map<String, AgentSpan> byId = new HashMap<>(input.size() * 2);
    String traceId = null;
    for (AgentSpan s : input) {
      if (traceId == null) {
        traceId = s.traceId();
      } else if (!traceId.equals(s.traceId())) {
        throw new IllegalArgumentException(
            "spans of traces " + traceId + " and " + s.traceId() + " in one chain");
      }
      byId.merge(s.spanId(), s, (a, b) -> PREFERRED.compare(a, b) >= 0 ? a : b);
    }
    return byId;
  }

  /**
   * Spans in breadth-first order from the roots. Spans no root reaches sit on a parent cycle: the
   * earliest of them becomes a root (its parent link is ignored), until every span is reached.
   */
  private static List<AgentSpan> breadthFirst(
      List<AgentSpan> spans, List<AgentSpan> roots, Map<String, List<AgentSpan>> children) {
    List<AgentSpan> order = new ArrayList<>(spans.size());
    Set<String> visited = new HashSet<>(spans.size() * 2);
    ArrayDeque<AgentSpan> queue = new ArrayDeque<>(roots);
    roots.forEach(r -> visited.add(r.spanId()));
    int next = 0;
    while (true) {
      while (!queue.isEmpty()) {
        AgentSpan s = queue.poll();
        order.add(s);
        for (AgentSpan child : children.getOrDefault(s.spanId(), List.of())) {
          if (visited.add(child.spanId())) {
            queue.add(child);
          }
        }
      }
      if (order.size() == spans.size()) {
        return order;
      }
      while (visited.contains(spans.get(next).spanId())) {
        next++;
      }
      AgentSpan cycleStart = spans.get(next); // earliest unreached span
      String parent = cycleStart.parentSpanId();
      // A span left unreached sits in a cycle, so its parent is a span with children.
      Objects.requireNonNull(children.get(parent), parent).remove(cycleStart);
      roots.add(cycleStart);
      visited.add(cycleStart.spanId());
      queue.add(cycleStart);
    }
  }

  private static String agentName(AgentSpan agentSpan) {
    String name = agentSpan.semantics().agentName();
    return name.isEmpty() ? agentSpan.name() : name;
  }

  /** Every distinct agent at or above the span: its cost rolls up into each of them once. */
  private static Set<String> inclusiveAgents(
      AgentSpan s,
      String attributedAgent,
      Map<String, AgentSpan> nearestAgentSpan,
      Map<String, String> treeParent) {
    Set<String> names = new LinkedHashSet<>();
    names.add(attributedAgent);
    AgentSpan agent = nearestAgentSpan.get(s.spanId());
    while (agent != null) {
      names.add(agentName(agent));
      String parent = treeParent.get(agent.spanId());
      agent = parent == null ? null : nearestAgentSpan.get(parent);
    }
    return names;
  }

  private static List<TreeNode> buildTree(
      List<AgentSpan> order,
      List<AgentSpan> roots,
      Map<String, List<AgentSpan>> children,
      Set<String> counted,
      Set<String> carriesBelow,
      Map<String, String> agentOf) {
    Map<String, TreeNode> nodes = new HashMap<>(order.size() * 2);
    for (int i = order.size() - 1; i >= 0; i--) {
      AgentSpan s = order.get(i);
      List<AgentSpan> kids = children.getOrDefault(s.spanId(), List.of());
      List<TreeNode> childNodes = new ArrayList<>(kids.size());
      BigDecimal total = ZERO;
      for (AgentSpan kid : kids) {
        TreeNode node = nodes.remove(kid.spanId());
        if (node != null) { // a kid cut out of a cycle is a root, not a child
          childNodes.add(node);
          total = total.add(node.totalCostUsd());
        }
      }
      boolean isCounted = counted.contains(s.spanId());
      BigDecimal own = isCounted ? s.cost().amountUsd() : ZERO;
      total = total.add(own == null ? ZERO : own);
      boolean rollup = !isCounted && s.carriesUsage() && carriesBelow.contains(s.spanId());
      nodes.put(
          s.spanId(),
          new TreeNode(
              s,
              agentOf.getOrDefault(s.spanId(), UNATTRIBUTED),
              isCounted,
              rollup,
              own,
              total,
              List.copyOf(childNodes)));
    }
    List<TreeNode> out = new ArrayList<>(roots.size());
    for (AgentSpan r : roots) {
      out.add(nodes.get(r.spanId()));
    }
    return out;
  }

  private static ChainSummary summarize(
      AgentSpan root, List<AgentSpan> order, Map<String, String> agentOf, Totals totals) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (AgentSpan s : order) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
    }
    String agent = agentOf.getOrDefault(root.spanId(), UNATTRIBUTED);
    String session = root.semantics().sessionId();
    String user = root.semantics().userId();
    String service = root.serviceName();
    for (AgentSpan s : order) {
      agent = agent.isEmpty() ? agentOf.getOrDefault(s.spanId(), UNATTRIBUTED) : agent;
      session = session.isEmpty() ? s.semantics().sessionId() : session;
      user = user.isEmpty() ? s.semantics().userId() : user;
      service = service.isEmpty() ? s.serviceName() : service;
    }
    return new ChainSummary(
        root.project(),
        root.traceId(),
        root.spanId(),
        root.name(),
        service,
        root.serviceVersion(),
        agent,
        session,
        user,
        start,
        end,
        order.size(),
        totals.llmCalls,
        totals.toolCalls,
        totals.errors,
        totals.usage,
        totals.cost,
        totals.unpriced == 0,
        totals.unpriced,
        root.status().code() == StatusCode.ERROR ? "error" : "ok");
  }

  private static final class Totals {
    BigDecimal cost = ZERO;
    UsageTotals usage = UsageTotals.ZERO;
    int llmCalls;
    int toolCalls;
    int errors;
    int unpriced;

    void add(AgentSpan s, BigDecimal amount, boolean known, boolean modelCall) {
      cost = cost.add(amount);
      usage = usage.plus(s.usage());
      llmCalls += modelCall ? 1 : 0;
      unpriced += known ? 0 : 1;
    }
  }

  private static final class AgentAcc {
    final String agent;
    BigDecimal exclusive = ZERO;
    BigDecimal inclusive = ZERO;
    int llmCalls;
    int toolCalls;
    int unpriced;
    UsageTotals usage = UsageTotals.ZERO;

    AgentAcc(String agent) {
      this.agent = agent;
    }

    AgentCost toCost() {
      return new AgentCost(agent, exclusive, inclusive, llmCalls, toolCalls, usage, unpriced);
    }
  }

  private static final class ModelAcc {
    final String provider;
    final String model;
    BigDecimal cost = ZERO;
    int calls;
    int unpriced;
    UsageTotals usage = UsageTotals.ZERO;

    ModelAcc(String provider, String model) {
      this.provider = provider;
      this.model = model;
    }

    ModelCost toCost() {
      return new ModelCost(provider, model, cost, calls, usage, unpriced);
    }
  }
}
