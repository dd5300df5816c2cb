package io.agentledger.core.decision;

import java.util.Locale;

/** How two decision-tree nodes relate. */
public enum EdgeKind {
  /** Parent to child: the source started the target. */
  CALLS,
  /** A model call to the tool execution it asked for. */
  CHOSE,
  /** An agent to the agent it handed the work to. */
  HANDOFF,
  /** A node to its next sibling in time. */
  NEXT,
  /** A failed attempt to the attempt that repeated it. */
  RETRY;

  /** The lower-case name used on the wire and in storage. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #wireName()}. */
  public static EdgeKind fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
