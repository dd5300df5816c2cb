package io.agentledger.instrumentation;

import java.math.BigDecimal;

/**
 * Thrown when a model or tool call starts after the chain (or session) has spent its budget: the
 * agent stops before it spends more. The call that crossed the budget was allowed to finish.
 */
public final class BudgetExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient BudgetGuard.Overrun overrun;

  BudgetExceededException(BudgetGuard.Overrun overrun) {
    super(overrun.toString());
    this.overrun = overrun;
  }

  /**
   * What was exceeded, by how much.
   *
   * @return the overrun
   */
  public BudgetGuard.Overrun overrun() {
    return overrun;
  }

  /**
   * What had been spent when the call was refused, in USD.
   *
   * @return the amount spent
   */
  public BigDecimal spentUsd() {
    return overrun.spentUsd();
  }
}
