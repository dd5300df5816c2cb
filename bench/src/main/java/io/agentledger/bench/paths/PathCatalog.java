package io.agentledger.bench.paths;

import java.util.ArrayList;
import java.util.List;

/**
 * Fifty distinct paths of a support agent: a classify call, then one of five tool routines (some
 * looping), optional retrieval, a decision, sometimes a hand-off, and an answer.
 */
final class PathCatalog {

  private PathCatalog() {}

  static List<List<String>> paths() {
    List<List<String>> routines =
        List.of(
            List.of("tool:lookup_order"),
            List.of("tool:search"),
            List.of("tool:search ×3"),
            List.of("tool:lookup_order", "tool:refund"),
            List.of("tool:search ×2", "llm:gpt-4o", "tool:search"));
    List<List<String>> middles =
        List.of(
            List.of(),
            List.of("retrieval:kb"),
            List.of("decision:escalate=no"),
            List.of("retrieval:kb", "decision:escalate=no"),
            List.of("decision:escalate=yes", "handoff:refunds"));
    List<List<String>> out = new ArrayList<>();
    for (List<String> middle : middles) {
      for (List<String> routine : routines) {
        for (boolean answer : new boolean[] {true, false}) {
          List<String> path = new ArrayList<>();
          path.add("llm:gpt-4o-mini");
          path.addAll(routine);
          path.addAll(middle);
          if (answer) {
            path.add("llm:gpt-4o");
          }
          out.add(List.copyOf(path));
        }
      }
    }
    return out; // 5 × 5 × 2 = 50
  }

  /** Cumulative Zipf weights over n items with exponent s. */
  static double[] zipf(int n, double s) {
    double[] c = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1 / Math.pow(i + 1, s);
      c[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      c[i] /= sum;
    }
    return c;
  }

  static int pick(double[] cumulative, double u) {
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    return cumulative.length - 1;
  }
}
