package io.agentledger.core.decision;

import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.rollup.UsageTotals;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds a chain's decision tree from its roll-up: one node per span and per recorded decision,
 * hand-off and exception, numbered depth first with children in time order; then the typed edges.
 * Iterative throughout, so 100,000 nested spans do not exhaust the stack. The roll-up has already
 * made the span tree well formed (duplicates merged, orphans and cut cycles as extra roots).
 */
final class DecisionTreeBuilder {

  /** A node while the tree is built; frozen into a {@link DecisionNode} at the end. */
  private static final class Draft {
    final String id;
    final int parent;
    final String runId;
    final NodeKind kind;
    final String label;
    final String agent;
    final String spanId;
    final long start;
    final long duration;
    final String status;
    final @Nullable BigDecimal costUsd;
    final BigDecimal totalCostUsd;
    final UsageTotals usage;
    NodeDetail detail;
    final boolean fromSpan;
    final List<Integer> children = new ArrayList<>(0);
    UsageTotals totalUsage;
    int attempt = 1;

    Draft(
        String id,
        int parent,
        String runId,
        NodeKind kind,
        String label,
        String agent,
        String spanId,
        long start,
        long duration,
        String status,
        @Nullable BigDecimal costUsd,
        BigDecimal totalCostUsd,
        UsageTotals usage,
        NodeDetail detail,
        boolean fromSpan) {
      this.id = id;
      this.parent = parent;
      this.runId = runId;
      this.kind = kind;
      this.label = label;
      this.agent = agent;
      this.spanId = spanId;
      this.start = start;
      this.duration = duration;
      this.status = status;
      this.costUsd = costUsd;
      this.totalCostUsd = totalCostUsd;
      this.usage = usage;
      this.detail = detail;
      this.fromSpan = fromSpan;
      this.totalUsage = usage;
    }
  }

  /** A child waiting to be numbered: a span's tree node, or an event of its parent span. */
  private record Pending(int parent, @Nullable TreeNode node, @Nullable EventItem event) {}

  private record EventItem(AgentSpan span, String agent, int index, SpanEvent event) {}

  /** How far an MCP server's call may start outside its client's tool span (clock resolution). */
  private static final long MCP_SLACK_NANOS = 1_000_000;

  private final List<Draft> drafts = new ArrayList<>();
  private final List<DecisionEdge> edges = new ArrayList<>();
  private final List<AgentSpan> mcpServerCalls = new ArrayList<>(0);

  private DecisionTreeBuilder() {}

  static DecisionTree build(ChainRollupResult rollup) {
    DecisionTreeBuilder b = new DecisionTreeBuilder();
    b.number(rollup.roots());
    b.nameMcpServers();
    b.sumUsage();
    b.structuralEdges();
    b.choseEdges();
    b.handoffEdges();
    return b.freeze(rollup.summary().traceId());
  }

  // ---- nodes, depth first ----

  private void number(List<TreeNode> roots) {
    Deque<Pending> stack = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Pending(-1, roots.get(i), null));
    }
    while (!stack.isEmpty()) {
      Pending p = stack.pop();
      int index = drafts.size();
      Draft parent = p.parent() < 0 ? null : drafts.get(p.parent());
      String parentRun = parent == null ? "" : parent.runId;
      Draft draft =
          p.node() != null
              ? spanDraft(p.node(), p.parent(), parentRun)
              : eventDraft(p.event(), p.parent(), parentRun);
      drafts.add(draft);
      if (parent != null) {
        parent.children.add(index);
      }
      if (p.node() != null && SpanNodes.isMcpServerToolCall(p.node().span())) {
        mcpServerCalls.add(p.node().span());
      }
      if (p.node() != null) {
        List<Pending> children = children(index, p.node(), draft.agent);
        for (int i = children.size() - 1; i >= 0; i--) {
          stack.push(children.get(i));
        }
      }
    }
  }

  /** The node's child spans and its events of interest, merged in time order. */
  private static List<Pending> children(int index, TreeNode node, String agent) {
    List<EventItem> events = new ArrayList<>();
    List<SpanEvent> all = node.span().events();
    for (int i = 0; i < all.size(); i++) {
      if (eventKind(all.get(i)) != null) {
        events.add(new EventItem(node.span(), agent, i, all.get(i)));
      }
    }
    if (events.isEmpty()) {
      List<Pending> out = new ArrayList<>(node.children().size());
      node.children().forEach(c -> out.add(new Pending(index, c, null)));
      return out;
    }
    events.sort(Comparator.comparingLong((EventItem e) -> e.event().epochNanos()));
    List<Pending> out = new ArrayList<>(node.children().size() + events.size());
    int e = 0;
    for (TreeNode child : node.children()) {
      while (e < events.size()
          && events.get(e).event().epochNanos() <= child.span().startEpochNanos()) {
        out.add(new Pending(index, null, events.get(e++)));
      }
      out.add(new Pending(index, child, null));
    }
    while (e < events.size()) {
      out.add(new Pending(index, null, events.get(e++)));
    }
    return out;
  }

  private static @Nullable NodeKind eventKind(SpanEvent event) {
    String name = event.name();
    if (DecisionKeys.DECISION_EVENTS.contains(name)) {
      return NodeKind.DECISION;
    }
    if (DecisionKeys.HANDOFF_EVENTS.contains(name)) {
      return NodeKind.HANDOFF;
    }
    if (DecisionKeys.EXCEPTION_EVENT.equals(name)) {
      return NodeKind.ERROR;
    }
    return null;
  }

  private static Draft spanDraft(TreeNode node, int parent, String parentRun) {
    AgentSpan span = node.span();
    NodeKind kind = SpanNodes.kind(span);
    String agent = node.agent();
    String runId = kind == NodeKind.AGENT ? span.spanId() : parentRun;
    NodeDetail detail =
        SpanNodes.detail(kind, span, agent)
            .withError(span.status().errorType(), span.status().message());
    UsageTotals usage = node.counted() ? UsageTotals.of(span.usage()) : UsageTotals.ZERO;
    return new Draft(
        span.spanId(),
        parent,
        runId,
        kind,
        SpanNodes.label(kind, span, agent),
        agent,
        span.spanId(),
        span.startEpochNanos(),
        span.durationNanos(),
        SpanNodes.status(span),
        node.costUsd(),
        node.totalCostUsd(),
        usage,
        detail,
        true);
  }

  private static Draft eventDraft(@Nullable EventItem item, int parent, String parentRun) {
    if (item == null) {
      throw new IllegalStateException("a pending child is a span or an event");
    }
    SpanEvent event = item.event();
    NodeKind kind = eventKind(event);
    Map<String, String> a = event.attributes();
    String label;
    String status = "ok";
    NodeDetail detail;
    if (kind == NodeKind.DECISION) {
      label = a.getOrDefault(DecisionKeys.DECISION_NAME.name(), event.name());
      detail =
          NodeDetail.decision(
              SpanNodes.list(a.get(DecisionKeys.DECISION_OPTIONS.name())),
              a.getOrDefault(DecisionKeys.DECISION_CHOSEN.name(), ""),
              a.getOrDefault(DecisionKeys.DECISION_REASON.name(), ""),
              SpanNodes.number(a.get(DecisionKeys.DECISION_SCORE.name())));
    } else if (kind == NodeKind.HANDOFF) {
      String to = SpanNodes.first(a, DecisionKeys.HANDOFF_TO);
      label = item.agent() + " → " + to;
      detail = NodeDetail.handoff(item.agent(), to);
    } else {
      String type = a.getOrDefault(DecisionKeys.EXCEPTION_TYPE.name(), "");
      label = type.isEmpty() ? event.name() : type;
      status = "error";
      detail = NodeDetail.error(type, a.getOrDefault(DecisionKeys.EXCEPTION_MESSAGE.name(), ""));
    }
    return new Draft(
        item.span().spanId() + "#" + item.index(),
        parent,
        parentRun,
        kind == null ? NodeKind.STEP : kind,
        label,
        item.agent(),
        item.span().spanId(),
        event.epochNanos(),
        0,
        status,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        UsageTotals.ZERO,
        detail,
        false);
  }

  /**
   * An MCP server's {@code tools/call} span names its server (its service) on the client's tool
   * node of the same tool that was running when the server started the call; the latest such tool
   * wins. Start times of some emitters have millisecond resolution, hence the slack.
   */
  private void nameMcpServers() {
    for (AgentSpan call : mcpServerCalls) {
      String tool = call.semantics().toolName();
      long at = call.startEpochNanos();
      Draft match = null;
      for (Draft d : drafts) {
        if (d.kind == NodeKind.TOOL
            && d.detail.server().isEmpty()
            && d.detail.tool().equals(tool)
            && d.start - MCP_SLACK_NANOS <= at
            && at <= d.start + d.duration + MCP_SLACK_NANOS
            && (match == null || d.start > match.start)) {
          match = d;
        }
      }
      if (match != null && !call.serviceName().isEmpty()) {
        match.detail = match.detail.withServer(call.serviceName());
      }
    }
  }

  /** Inclusive tokens: children come after their parent, so one backward pass sums them. */
  private void sumUsage() {
    for (int i = drafts.size() - 1; i >= 0; i--) {
      Draft d = drafts.get(i);
      if (d.parent >= 0) {
        Draft parent = drafts.get(d.parent);
        parent.totalUsage = parent.totalUsage.plus(d.totalUsage);
      }
    }
  }

  // ---- edges ----

  /** calls (parent → child), next (sibling → next sibling), retry (failed → repeated). */
  private void structuralEdges() {
    for (Draft d : drafts) {
      Map<String, Integer> lastByKey = new HashMap<>();
      Integer previous = null;
      for (int c : d.children) {
        Draft child = drafts.get(c);
        edges.add(new DecisionEdge(d.id, child.id, EdgeKind.CALLS));
        if (previous != null) {
          edges.add(new DecisionEdge(drafts.get(previous).id, child.id, EdgeKind.NEXT));
        }
        previous = c;
        if (child.fromSpan) {
          String key = child.kind.wireName() + ":" + child.label;
          Integer same = lastByKey.put(key, c);
          if (same != null && "error".equals(drafts.get(same).status)) {
            Draft failed = drafts.get(same);
            child.attempt = failed.attempt + 1;
            edges.add(new DecisionEdge(failed.id, child.id, EdgeKind.RETRY));
          }
        }
      }
    }
  }

  /**
   * chose: each model call to the tool executions it asked for, by tool-call id anywhere in the
   * chain, else by tool name: the first unclaimed execution of that tool in the same agent run that
   * started after the model call. Model calls are taken in time order.
   */
  private void choseEdges() {
    List<Draft> llms = new ArrayList<>();
    Map<String, Deque<Draft>> toolsById = new HashMap<>();
    Map<String, List<Draft>> toolsByRunAndName = new HashMap<>();
    for (Draft d : drafts) {
      if (d.kind == NodeKind.LLM && !d.detail.chosenTools().isEmpty()) {
        llms.add(d);
      } else if (d.kind == NodeKind.TOOL) {
        if (!d.detail.toolCallId().isEmpty()) {
          toolsById.computeIfAbsent(d.detail.toolCallId(), k -> new ArrayDeque<>()).add(d);
        }
        toolsByRunAndName.computeIfAbsent(d.runId + "\n" + d.label, k -> new ArrayList<>()).add(d);
      }
    }
    Set<String> claimed = new HashSet<>();
    if (!llms.isEmpty()) {
      matchChoices(llms, toolsById, toolsByRunAndName, claimed);
    }
    inferChoices(claimed);
  }

  private void matchChoices(
      List<Draft> llms,
      Map<String, Deque<Draft>> toolsById,
      Map<String, List<Draft>> toolsByRunAndName,
      Set<String> claimed) {
    llms.sort(Comparator.comparingLong((Draft d) -> d.start));
    toolsByRunAndName.values().forEach(l -> l.sort(Comparator.comparingLong((Draft d) -> d.start)));
    Map<Draft, List<ToolChoice>> unmatched = new HashMap<>();
    for (Draft llm : llms) {
      for (ToolChoice choice : llm.detail.chosenTools()) {
        Draft tool = null;
        Deque<Draft> byId = choice.id().isEmpty() ? null : toolsById.get(choice.id());
        while (byId != null && !byId.isEmpty() && tool == null) {
          Draft candidate = byId.poll();
          if (claimed.add(candidate.id)) {
            tool = candidate;
          }
        }
        if (tool != null) {
          edges.add(new DecisionEdge(llm.id, tool.id, EdgeKind.CHOSE));
        } else {
          unmatched.computeIfAbsent(llm, k -> new ArrayList<>()).add(choice);
        }
      }
    }
    Map<String, Integer> next = new HashMap<>();
    for (Draft llm : llms) {
      for (ToolChoice choice : unmatched.getOrDefault(llm, List.of())) {
        String key = llm.runId + "\n" + choice.name();
        List<Draft> candidates = toolsByRunAndName.getOrDefault(key, List.of());
        int i = next.getOrDefault(key, 0);
        while (i < candidates.size()
            && (candidates.get(i).start < llm.start || claimed.contains(candidates.get(i).id))) {
          i++;
        }
        if (i < candidates.size()) {
          Draft tool = candidates.get(i);
          claimed.add(tool.id);
          edges.add(new DecisionEdge(llm.id, tool.id, EdgeKind.CHOSE));
          i++;
        }
        next.put(key, i);
      }
    }
  }

  /**
   * A model call that stopped to call tools ({@code tool_calls}, {@code tool_use}, ...) but whose
   * response names none (content capture off) chose the tool executions of its run that started
   * after it and before the run's next model call, unless another call claimed them by id or name.
   */
  private void inferChoices(Set<String> claimed) {
    Map<String, List<Draft>> byRun = new HashMap<>();
    for (Draft d : drafts) {
      if (d.kind == NodeKind.LLM || d.kind == NodeKind.TOOL) {
        byRun.computeIfAbsent(d.runId, k -> new ArrayList<>()).add(d);
      }
    }
    for (List<Draft> run : byRun.values()) {
      run.sort(
          Comparator.comparingLong((Draft d) -> d.start)
              .thenComparing((Draft d) -> d.kind != NodeKind.LLM));
      Draft caller = null;
      for (Draft d : run) {
        if (d.kind == NodeKind.LLM) {
          caller = d.detail.chosenTools().isEmpty() && stoppedForTools(d) ? d : null;
        } else if (caller != null && claimed.add(d.id)) {
          edges.add(new DecisionEdge(caller.id, d.id, EdgeKind.CHOSE));
        }
      }
    }
  }

  private static boolean stoppedForTools(Draft llm) {
    String reason = llm.detail.finishReason().toLowerCase(java.util.Locale.ROOT);
    return reason.contains("tool") || reason.contains("function");
  }

  /**
   * handoff: from the run that recorded the hand-off to the first run of the named agent that
   * started at or after it and is no other hand-off's target.
   */
  private void handoffEdges() {
    Map<String, List<Draft>> agentsByName = new HashMap<>();
    List<Draft> handoffs = new ArrayList<>();
    for (Draft d : drafts) {
      if (d.kind == NodeKind.AGENT) {
        agentsByName.computeIfAbsent(d.agent, k -> new ArrayList<>()).add(d);
      } else if (d.kind == NodeKind.HANDOFF && !d.detail.to().isEmpty()) {
        handoffs.add(d);
      }
    }
    if (handoffs.isEmpty()) {
      return;
    }
    agentsByName.values().forEach(l -> l.sort(Comparator.comparingLong((Draft d) -> d.start)));
    handoffs.sort(Comparator.comparingLong((Draft d) -> d.start));
    Set<String> claimed = new HashSet<>();
    // Hand-offs come in time order, so runs that started before one (or were claimed) are never
    // a later one's target: a pointer per agent name keeps this linear.
    Map<String, Integer> next = new HashMap<>();
    for (Draft h : handoffs) {
      List<Draft> candidates = agentsByName.getOrDefault(h.detail.to(), List.of());
      int i = next.getOrDefault(h.detail.to(), 0);
      while (i < candidates.size()
          && (candidates.get(i).start < h.start || claimed.contains(candidates.get(i).id))) {
        i++;
      }
      next.put(h.detail.to(), i);
      Draft target = null;
      for (int j = i; j < candidates.size() && target == null; j++) {
        if (!candidates.get(j).id.equals(h.runId) && !claimed.contains(candidates.get(j).id)) {
          target = candidates.get(j);
        }
      }
      if (target != null) {
        claimed.add(target.id);
        String source = h.runId.isEmpty() ? h.id : h.runId;
        edges.add(new DecisionEdge(source, target.id, EdgeKind.HANDOFF));
      }
    }
  }

  // ---- result ----

  private DecisionTree freeze(String traceId) {
    List<DecisionNode> nodes = new ArrayList<>(drafts.size());
    Map<String, Integer> seqOf = new HashMap<>(drafts.size() * 2);
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      seqOf.put(d.id, i);
      nodes.add(
          new DecisionNode(
              i,
              d.id,
              d.parent < 0 ? "" : drafts.get(d.parent).id,
              d.runId,
              d.kind,
              d.label,
              d.agent,
              d.spanId,
              d.start,
              d.duration,
              d.status,
              d.costUsd,
              d.totalCostUsd,
              d.usage,
              d.totalUsage,
              d.attempt,
              d.detail));
    }
    edges.sort(
        Comparator.comparingInt((DecisionEdge e) -> seqOf.get(e.target()))
            .thenComparing(DecisionEdge::kind)
            .thenComparingInt(e -> seqOf.get(e.source())));
    return new DecisionTree(traceId, nodes, edges);
  }
}
