package io.agentledger.analyzer.regress;

import io.agentledger.store.RunSummary;
import java.util.List;

/** What is compared per run; for every metric, higher is worse. */
public enum RunMetric {
  /** Inclusive cost in USD; runs with an unknown cost beneath them are left out. */
  COST_USD("costUsd"),
  /** How long the run took, in milliseconds. */
  DURATION_MS("durationMs"),
  /** Input and output tokens of its model calls. */
  TOKENS("tokens"),
  /** Steps, repeats counted. */
  STEPS("steps"),
  /** Whether the run had a failed span: 1 or 0, compared as the share of failed runs. */
  ERROR_RATE("errorRate");

  private final String apiName;

  RunMetric(String apiName) {
    this.apiName = apiName;
  }

  /** The name in the API ({@code Regression.metric}). */
  public String apiName() {
    return apiName;
  }

  boolean binary() {
    return this == ERROR_RATE;
  }

  /** Whether the run has a value of this metric. */
  boolean has(RunSummary run) {
    return this != COST_USD || run.costComplete();
  }

  double value(RunSummary run) {
    return switch (this) {
      case COST_USD -> run.costUsd().doubleValue();
      case DURATION_MS -> run.durationMs();
      case TOKENS -> run.inputTokens() + run.outputTokens();
      case STEPS -> run.steps();
      case ERROR_RATE -> run.errors() > 0 ? 1 : 0;
    };
  }

  /** The runs that have a value of this metric, in the order given. */
  List<RunSummary> measured(List<RunSummary> runs) {
    return this == COST_USD ? runs.stream().filter(this::has).toList() : runs;
  }

  double[] values(List<RunSummary> runs) {
    double[] out = new double[runs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = value(runs.get(i));
    }
    return out;
  }
}
