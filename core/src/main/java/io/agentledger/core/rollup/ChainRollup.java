package io.agentledger.core.rollup;

import io.agentledger.core.normalize.WorkflowIds;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.StatusCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Computes a chain's totals, breakdowns and cost tree from its spans. A pure function: the same
 * spans in any order, with any duplicates, give the same result.
 *
 * <p>In passes over one immutable {@link ChainTree} (index, order, parents; parent cycles broken at
 * their earliest span): {@link Billing} decides which spans count, {@link Attribution} the agent
 * each span works for, {@link Accumulation} sums totals and breakdowns; then the cost tree and the
 * summary are built.
 */
public final class ChainRollup {

  /** The agent name for cost no agent span encloses. */
  public static final String UNATTRIBUTED = "";

  private static final BigDecimal ZERO = Accumulation.ZERO;

  private ChainRollup() {}

  /**
   * Rolls up one chain.
   *
   * @param input the chain's spans (one project, one trace id), in any order, duplicates allowed
   * @throws IllegalArgumentException when there are no spans or they belong to several traces
   */
  public static ChainRollupResult compute(Collection<AgentSpan> input) {
    ChainTree tree = ChainTree.of(input);
    Billing billing = Billing.of(tree);
    Attribution attribution = Attribution.of(tree);
    Accumulation totals = Accumulation.of(tree, billing, attribution);
    return new ChainRollupResult(
        summarize(tree, attribution, totals),
        totals.byAgent(),
        totals.byModel(),
        costTree(tree, billing, attribution),
        Set.copyOf(billing.counted()),
        Map.copyOf(billing.corrections()));
  }

  /** The tree nodes, built bottom-up so that each node's total includes its descendants'. */
  private static List<TreeNode> costTree(ChainTree tree, Billing billing, Attribution attribution) {
    List<AgentSpan> order = tree.order();
    Map<String, TreeNode> nodes = new HashMap<>(order.size() * 2);
    for (int i = order.size() - 1; i >= 0; i--) {
      AgentSpan s = order.get(i);
      List<AgentSpan> kids = tree.childrenOf(s.spanId());
      List<TreeNode> childNodes = new ArrayList<>(kids.size());
      BigDecimal total = ZERO;
      for (AgentSpan kid : kids) {
        // Reverse breadth-first order: a child's node is built before its parent's.
        TreeNode node = Objects.requireNonNull(nodes.remove(kid.spanId()), kid.spanId());
        childNodes.add(node);
        total = total.add(node.totalCostUsd());
      }
      boolean isCounted = billing.isCounted(s);
      BigDecimal own = isCounted ? s.cost().amountUsd() : ZERO;
      total = total.add(own == null ? ZERO : own);
      nodes.put(
          s.spanId(),
          new TreeNode(
              s,
              attribution.agentOf(s),
              isCounted,
              billing.isRollup(s),
              own,
              total,
              List.copyOf(childNodes)));
    }
    List<TreeNode> out = new ArrayList<>(tree.roots().size());
    for (AgentSpan r : tree.roots()) {
      out.add(nodes.get(r.spanId()));
    }
    return out;
  }

  /** The chain in a line: named after its root, context from the first span that has it. */
  private static ChainSummary summarize(
      ChainTree tree, Attribution attribution, Accumulation totals) {
    AgentSpan root = tree.root();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    String agent = attribution.agentOf(root);
    String session = root.semantics().sessionId();
    String user = root.semantics().userId();
    String service = root.serviceName();
    String workflow = WorkflowIds.of(root.attributes());
    for (AgentSpan s : tree.order()) {
      workflow = workflow.isEmpty() ? WorkflowIds.of(s.attributes()) : workflow;
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      agent = agent.isEmpty() ? attribution.agentOf(s) : agent;
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
        tree.size(),
        totals.llmCalls(),
        totals.toolCalls(),
        totals.errors(),
        totals.usage(),
        totals.cost(),
        totals.unpriced() == 0,
        totals.unpriced(),
        root.status().code() == StatusCode.ERROR ? ChainStatus.ERROR : ChainStatus.OK,
        totals.toolCost(),
        workflow);
  }
}
