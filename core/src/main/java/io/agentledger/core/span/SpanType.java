package io.agentledger.core.span;

import java.util.Locale;

/** What an agent span does, normalized from every convention's own classification. */
public enum SpanType {
  AGENT,
  LLM,
  TOOL,
  RETRIEVAL,
  EMBEDDING,
  CHAIN,
  OTHER;

  /** The lower-case name used on the wire and in storage ({@code llm}, {@code tool}, ...). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #wireName()}; unknown names are {@link #OTHER}. */
  public static SpanType fromWireName(String name) {
    if (name == null) {
      return OTHER;
    }
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return OTHER;
    }
  }

  /** True for model calls that can carry billable usage themselves. */
  public boolean isModelCall() {
    return this == LLM || this == EMBEDDING;
  }
}
