package io.agentledger.core.pricing;

import java.util.Locale;

/** What a non-LLM price is for: a tool call, or a sandbox (code execution, browser, VM). */
public enum ToolKind {
  TOOL,
  SANDBOX;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ToolKind fromWireName(String name) {
    for (ToolKind k : values()) {
      if (k.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("kind must be 'tool' or 'sandbox', got '" + name + "'");
  }
}
