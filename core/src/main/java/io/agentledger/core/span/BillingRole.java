package io.agentledger.core.span;

import java.util.Locale;

/**
 * The per-span decision, taken at normalization, whether a span's usage is billed on its own.
 *
 * <p>Aggregations over millions of spans (cost by model per hour) cannot walk trees, so they sum
 * only {@link #BILLABLE} spans. The chain roll-up ({@code io.agentledger.core.rollup}) confirms or
 * corrects the decision once the whole tree is known.
 */
public enum BillingRole {
  /** A model call whose usage and cost are its own (the leaf that talked to the provider). */
  BILLABLE,
  /**
   * A span that repeats its children's usage (agent, workflow, chain, SDK wrappers such as Vercel's
   * {@code ai.generateText}): counting it as well would double the bill.
   */
  ROLLUP,
  /** A span without usage or cost. */
  NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BillingRole fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
