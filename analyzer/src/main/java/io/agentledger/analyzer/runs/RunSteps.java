package io.agentledger.analyzer.runs;

import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.NodeKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of one run, read from the chain's decision tree ({@link DecisionTree}), so steps name
 * exactly what the decision graph shows: the path rules of this package.
 */
final class RunSteps {

  /**
   * A run's path and how many of its operations were retries.
   *
   * @param path the steps, repeats collapsed
   * @param retries operations that repeated a failed one ({@code retry} edges of the tree)
   */
  record Steps(List<String> path, int retries) {}

  private final DecisionTree tree;
  private final Map<String, DecisionNode> byId = new HashMap<>();

  RunSteps(DecisionTree tree) {
    this.tree = tree;
    tree.nodes().forEach(n -> byId.put(n.id(), n));
  }

  /** The steps of the run of an agent node. */
  Steps ofAgent(String agentNodeId) {
    return of(agentNodeId, agentNodeId);
  }

  /** The steps of a chain without agents: everything beneath its root. */
  Steps ofRoot(String rootNodeId) {
    return of("", rootNodeId);
  }

  private Steps of(String runId, String self) {
    List<DecisionNode> nodes = new ArrayList<>();
    for (DecisionNode n : tree.nodes()) {
      if (n.id().equals(self) || isInternal(n)) {
        continue;
      }
      if (n.runId().equals(runId)
          || (n.kind() == NodeKind.AGENT && runOf(n.parentId()).equals(runId))) {
        nodes.add(n); // a nested agent is one step of this run; its own steps are its own run's
      }
    }
    nodes.sort(
        Comparator.comparingLong(DecisionNode::startEpochNanos)
            .thenComparingInt(DecisionNode::seq));
    List<String> steps = new ArrayList<>(nodes.size());
    int retries = 0;
    String previous = "";
    for (DecisionNode n : nodes) {
      if (n.attempt() > 1) {
        retries++;
      }
      String step = step(n);
      boolean namedByHandoff =
          n.kind() == NodeKind.AGENT && previous.equals("handoff:" + n.label());
      if (!step.isEmpty() && !namedByHandoff) {
        steps.add(step);
      }
      if (!step.isEmpty()) {
        previous = step;
      }
    }
    return new Steps(collapse(steps), retries);
  }

  private String runOf(String nodeId) {
    DecisionNode n = byId.get(nodeId);
    return n == null ? "\u0000none" : n.runId();
  }

  /** Beneath a model call: SDK internals (an HTTP request, the provider call of a wrapper). */
  private boolean isInternal(DecisionNode n) {
    DecisionNode parent = byId.get(n.parentId());
    return parent != null && parent.kind() == NodeKind.LLM;
  }

  private static String step(DecisionNode n) {
    return switch (n.kind()) {
      case AGENT -> "agent:" + n.label();
      case LLM -> "llm:" + n.label();
      case TOOL -> "tool:" + n.label();
      case RETRIEVAL -> "retrieval:" + n.label();
      case APPROVAL -> "approval:" + n.label();
      case DECISION -> "decision:" + n.label() + "=" + n.detail().choice();
      case HANDOFF -> "handoff:" + n.detail().to();
      case ERROR, STEP -> "";
    };
  }

  /** Consecutive equal steps as one: {@code [a, b, b, b, a]} → {@code [a, b ×3, a]}. */
  static List<String> collapse(List<String> steps) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < steps.size()) {
      int j = i;
      while (j < steps.size() && steps.get(j).equals(steps.get(i))) {
        j++;
      }
      out.add(j - i == 1 ? steps.get(i) : steps.get(i) + " ×" + (j - i));
      i = j;
    }
    return out;
  }
}
