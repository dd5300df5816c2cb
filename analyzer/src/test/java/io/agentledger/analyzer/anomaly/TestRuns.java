package io.agentledger.analyzer.anomaly;

import io.agentledger.store.RunSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Runs for detector tests. */
final class TestRuns {

  private TestRuns() {}

  static RunSummary run(String agent, Instant start, double costUsd, int n) {
    return run(
        agent, start, costUsd, n, List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"), Map.of());
  }

  static RunSummary run(
      String agent,
      Instant start,
      double costUsd,
      int n,
      List<String> path,
      Map<String, String> behaviours) {
    String trace = String.format("%016x%016x", agent.hashCode() & 0xffffffffL, (long) n);
    return new RunSummary(
        "p",
        trace,
        String.format("%016x", (long) n),
        agent,
        "1.0",
        "svc",
        "user-" + (n % 3),
        "",
        start,
        2_000,
        BigDecimal.valueOf(costUsd),
        true,
        10_000,
        500,
        2,
        1,
        0,
        0,
        List.of("gpt-4o"),
        path,
        behaviours);
  }
}
