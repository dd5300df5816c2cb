package io.agentledger.core.decision;

import java.util.Locale;

/** What a decision-tree node stands for. */
public enum NodeKind {
  /** An agent invocation (one run of an agent). */
  AGENT,
  /** A model call (chat, completion, embeddings). */
  LLM,
  /** A tool execution. */
  TOOL,
  /** A hand-off recorded by an agent: the work passes to another agent. */
  HANDOFF,
  /** A recorded decision: options, the one chosen, why. */
  DECISION,
  /** A human approval gate. */
  APPROVAL,
  /** A retrieval from a data source. */
  RETRIEVAL,
  /** An exception recorded on a span. */
  ERROR,
  /** Any other span (a workflow, a step): kept so costs and structure add up. */
  STEP;

  /** The lower-case name used on the wire and in storage. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #wireName()}; unknown names are {@link #STEP}. */
  public static NodeKind fromWireName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return STEP;
    }
  }
}
