package io.agentledger.analyzer.anomaly;

import io.agentledger.store.RunSummary;

/** The per-run metrics the run-outlier detector scores, with their names in anomalies. */
enum RunMetric {
  COST_USD("cost_usd"),
  INPUT_TOKENS("input_tokens"),
  OUTPUT_TOKENS("output_tokens"),
  DURATION_MS("duration_ms"),
  TOOL_CALLS("tool_calls"),
  STEPS("steps");

  private final String wireName;

  RunMetric(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  double of(RunSummary r) {
    return switch (this) {
      case COST_USD -> r.costUsd().doubleValue();
      case INPUT_TOKENS -> r.inputTokens();
      case OUTPUT_TOKENS -> r.outputTokens();
      case DURATION_MS -> r.durationMs();
      case TOOL_CALLS -> r.toolCalls();
      case STEPS -> r.steps();
    };
  }
}
