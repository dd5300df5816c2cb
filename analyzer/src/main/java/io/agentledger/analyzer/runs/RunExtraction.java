package io.agentledger.analyzer.runs;

import io.agentledger.analyzer.settle.SettledChain;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanType;
import io.agentledger.store.RunSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of one settled chain: one per agent span, or the root's when there is none. Totals come
 * from the chain's cost tree; steps from its decision tree ({@link RunSteps}).
 */
final class RunExtraction {

  private RunExtraction() {}

  static List<RunSummary> runs(SettledChain chain) {
    List<TreeNode> runNodes = new ArrayList<>();
    for (TreeNode root : chain.rollup().roots()) {
      collectAgents(root, runNodes);
    }
    if (runNodes.isEmpty() && !chain.rollup().roots().isEmpty()) {
      runNodes.add(chain.rollup().roots().get(0));
    }
    RunSteps steps = new RunSteps(DecisionTree.of(chain.rollup()));
    List<RunSummary> out = new ArrayList<>(runNodes.size());
    for (TreeNode node : runNodes) {
      String id = node.span().spanId();
      RunSteps.Steps s =
          node.span().type() == SpanType.AGENT ? steps.ofAgent(id) : steps.ofRoot(id);
      out.add(run(chain.rollup().summary(), node, s));
    }
    return out;
  }

  private static void collectAgents(TreeNode node, List<TreeNode> out) {
    Deque<TreeNode> stack = new ArrayDeque<>();
    stack.push(node);
    while (!stack.isEmpty()) {
      TreeNode n = stack.pop();
      if (n.span().type() == SpanType.AGENT) {
        out.add(n);
      }
      n.children().forEach(stack::push);
    }
  }

  private static RunSummary run(ChainSummary chain, TreeNode node, RunSteps.Steps steps) {
    AgentSpan s = node.span();
    Totals t = new Totals();
    t.add(node);
    String agent = s.type() == SpanType.AGENT ? s.semantics().agentName() : "";
    String version = s.semantics().agentVersion();
    String user = s.semantics().userId();
    String session = s.semantics().sessionId();
    return new RunSummary(
        chain.project(),
        chain.traceId(),
        s.spanId(),
        agent,
        version.isEmpty() ? s.serviceVersion() : version,
        s.serviceName(),
        user.isEmpty() ? chain.userId() : user,
        session.isEmpty() ? chain.sessionId() : session,
        Instant.ofEpochSecond(0, s.startEpochNanos()),
        Math.max(0, s.durationNanos() / 1_000_000),
        node.totalCostUsd(),
        t.costComplete,
        t.inputTokens,
        t.outputTokens,
        t.llmCalls,
        t.toolCalls,
        t.errors,
        steps.retries(),
        t.models(),
        steps.path(),
        Map.of());
  }

  /** What a run adds up over every span beneath it, nested agents included. */
  private static final class Totals {
    boolean costComplete = true;
    long inputTokens;
    long outputTokens;
    int llmCalls;
    int toolCalls;
    int errors;
    final Map<String, BigDecimal> costByModel = new HashMap<>();

    void add(TreeNode root) {
      Deque<TreeNode> stack = new ArrayDeque<>();
      stack.push(root);
      while (!stack.isEmpty()) {
        TreeNode n = stack.pop();
        count(n);
        n.children().forEach(stack::push);
      }
    }

    private void count(TreeNode n) {
      AgentSpan s = n.span();
      if (n.counted()) {
        inputTokens += s.usage().inputTokens();
        outputTokens += s.usage().outputTokens();
        if (n.costUsd() == null) {
          costComplete = false;
        }
      }
      if (s.type().isModelCall() && !n.rollup()) {
        llmCalls++;
        String model = s.semantics().model();
        if (!model.isEmpty()) {
          BigDecimal cost = n.costUsd() == null ? BigDecimal.ZERO : n.costUsd();
          costByModel.merge(model, cost, BigDecimal::add);
        }
      }
      if (s.type() == SpanType.TOOL) {
        toolCalls++;
      }
      if (s.status().isError()) {
        errors++;
      }
    }

    /** Most expensive first, then by name. */
    List<String> models() {
      return costByModel.entrySet().stream()
          .sorted(
              Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder())
                  .thenComparing(Map.Entry.comparingByKey()))
          .map(Map.Entry::getKey)
          .toList();
    }
  }
}
