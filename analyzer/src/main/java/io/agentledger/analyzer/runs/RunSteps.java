package io.agentledger.analyzer.runs;

import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The steps of one run, read from the chain's cost tree: the path rules of this package.
 *
 * <p>Steps are read straight from spans and their events here; the chain's decision tree ({@code
 * io.agentledger.core.decision}) names the same things and is the place to read them from once it
 * is built at settlement, so that step extraction is done one way.
 */
final class RunSteps {

  static final String DECISION_EVENT = "agentledger.decision";
  static final String DECISION_NAME = "agentledger.decision.name";
  static final String DECISION_CHOSEN = "agentledger.decision.chosen";
  static final String HANDOFF_EVENT = "agentledger.handoff";
  static final String HANDOFF_TO = "agentledger.handoff.to";
  static final String APPROVAL_ACTION = "agentledger.approval.action";

  /**
   * A run's path and how many of its operations were retries.
   *
   * @param path the steps, repeats collapsed
   * @param retries operations that repeated a failed one just before them
   */
  record Steps(List<String> path, int retries) {}

  private record Timed(long epochNanos, int order, String step, boolean failed) {}

  private RunSteps() {}

  /** The steps beneath a run's agent span (or beneath the root of a chain without agents). */
  static Steps of(TreeNode run) {
    List<Timed> timed = new ArrayList<>();
    events(run.span(), timed);
    walk(run, timed);
    timed.sort(Comparator.comparingLong(Timed::epochNanos).thenComparingInt(Timed::order));
    List<String> steps = new ArrayList<>(timed.size());
    int retries = 0;
    Timed previous = null;
    for (Timed t : timed) {
      if (previous != null && previous.failed() && previous.step().equals(t.step())) {
        retries++;
      }
      boolean namedByHandoff =
          previous != null
              && t.step().startsWith("agent:")
              && previous.step().equals("handoff:" + t.step().substring("agent:".length()));
      if (!namedByHandoff) {
        steps.add(t.step());
      }
      previous = t;
    }
    return new Steps(collapse(steps), retries);
  }

  private static void walk(TreeNode node, List<Timed> out) {
    for (TreeNode child : node.children()) {
      AgentSpan s = child.span();
      String step = step(s);
      if (!step.isEmpty()) {
        out.add(new Timed(s.startEpochNanos(), out.size(), step, s.status().isError()));
      }
      if (s.type() == SpanType.AGENT) {
        continue; // a nested agent is one step here; its own steps are its own run's
      }
      events(s, out);
      if (!s.type().isModelCall()) {
        walk(child, out); // a model call's children (SDK internals) are not steps of their own
      }
    }
  }

  private static String step(AgentSpan s) {
    return switch (s.type()) {
      case AGENT -> "agent:" + name(s.semantics().agentName(), s);
      case LLM, EMBEDDING -> "llm:" + name(s.semantics().model(), s);
      case TOOL -> "tool:" + name(s.semantics().toolName(), s);
      case RETRIEVAL -> "retrieval:" + s.name();
      default -> {
        String action = s.attributes().getOrDefault(APPROVAL_ACTION, "");
        yield action.isEmpty() ? "" : "approval:" + action;
      }
    };
  }

  private static void events(AgentSpan s, List<Timed> out) {
    for (SpanEvent e : s.events()) {
      String step =
          switch (e.name()) {
            case DECISION_EVENT ->
                "decision:"
                    + e.attributes().getOrDefault(DECISION_NAME, "")
                    + "="
                    + e.attributes().getOrDefault(DECISION_CHOSEN, "");
            case HANDOFF_EVENT -> "handoff:" + e.attributes().getOrDefault(HANDOFF_TO, "");
            default -> "";
          };
      if (!step.isEmpty()) {
        out.add(new Timed(e.epochNanos(), out.size(), step, false));
      }
    }
  }

  private static String name(String name, AgentSpan s) {
    return name.isEmpty() ? s.name() : name;
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
