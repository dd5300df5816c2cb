package io.agentledger.core.rollup;

import io.agentledger.core.span.AgentSpan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One chain's spans as a tree: each span once, indexed by id, in breadth-first order, with its
 * parent and children in the tree. Immutable.
 *
 * <p>A span whose parent has not arrived is a root (an orphan). Spans no root reaches sit on a
 * parent cycle (which a client can send): the earliest of them becomes a root, its parent link
 * ignored, until every span is reached. Iterative throughout, so 100,000 nested spans do not
 * exhaust the stack.
 */
final class ChainTree {

  static final Comparator<AgentSpan> BY_START =
      Comparator.comparingLong(AgentSpan::startEpochNanos).thenComparing(AgentSpan::spanId);

  /** Of two copies of one span (a replay, a retry), the one to keep; deterministic. */
  private static final Comparator<AgentSpan> PREFERRED =
      Comparator.comparingLong(AgentSpan::endEpochNanos)
          .thenComparingLong((AgentSpan s) -> s.usage().totalTokens())
          .thenComparing((AgentSpan s) -> s.cost().amountOrZero())
          .thenComparing(AgentSpan::name)
          .thenComparingInt((AgentSpan s) -> s.attributes().size());

  private final List<AgentSpan> order;
  private final List<AgentSpan> roots;
  private final Map<String, String> parents;
  private final Map<String, List<AgentSpan>> children;

  private ChainTree(
      List<AgentSpan> order,
      List<AgentSpan> roots,
      Map<String, String> parents,
      Map<String, List<AgentSpan>> children) {
    this.order = order;
    this.roots = roots;
    this.parents = parents;
    this.children = children;
  }

  /**
   * @param input one trace's spans, in any order, duplicates allowed
   * @throws IllegalArgumentException when there are no spans or they belong to several traces
   */
  static ChainTree of(Collection<AgentSpan> input) {
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
    Map<String, String> parents = new HashMap<>(order.size() * 2);
    Map<String, List<AgentSpan>> frozen = new HashMap<>(children.size() * 2);
    for (AgentSpan s : order) {
      List<AgentSpan> kids = children.getOrDefault(s.spanId(), List.of());
      for (AgentSpan child : kids) {
        parents.put(child.spanId(), s.spanId());
      }
      if (!kids.isEmpty()) {
        frozen.put(s.spanId(), List.copyOf(kids));
      }
    }
    roots.sort(
        Comparator.comparing((AgentSpan s) -> !s.isRoot())
            .thenComparing(BY_START)); // true root first
    return new ChainTree(List.copyOf(order), List.copyOf(roots), parents, frozen);
  }

  /** Every span once, parents before their children (breadth-first from the roots). */
  List<AgentSpan> order() {
    return order;
  }

  /** The true root first, then orphans and cut cycles, by start time. */
  List<AgentSpan> roots() {
    return roots;
  }

  /** The span the chain is named after: the true root, else the earliest orphan. */
  AgentSpan root() {
    return roots.get(0);
  }

  /** The span's parent in the tree, or null for a root. */
  String parentOf(String spanId) {
    return parents.get(spanId);
  }

  /** The span's children, by start time then span id. */
  List<AgentSpan> childrenOf(String spanId) {
    return children.getOrDefault(spanId, List.of());
  }

  int size() {
    return order.size();
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
   * earliest of them becomes a root (its parent link is removed), until every span is reached.
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
      children.get(cycleStart.parentSpanId()).remove(cycleStart);
      roots.add(cycleStart);
      visited.add(cycleStart.spanId());
      queue.add(cycleStart);
    }
  }
}
