package io.agentledger.core.span;

import java.util.Locale;

/** Where a span's cost came from. Every cost number carries one. */
public enum CostSource {
  /**
   * The emitter reported the cost itself ({@code llm.cost.total}, {@code gen_ai.usage.cost}, ...).
   */
  REPORTED,
  /** Computed from reported token usage and the price catalog. */
  COMPUTED,
  /** Computed from tokens counted in the recorded text, because usage was missing. */
  ESTIMATED,
  /** The span is cost-bearing but its cost is not known (unknown model, no usage, no text). */
  UNKNOWN,
  /** The span carries no cost of its own (a tool call, a plain internal span). */
  NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CostSource fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** True when the amount is a real number of dollars (not unknown, not absent). */
  public boolean isKnown() {
    return this == REPORTED || this == COMPUTED || this == ESTIMATED;
  }
}
