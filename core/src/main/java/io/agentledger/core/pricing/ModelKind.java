package io.agentledger.core.pricing;

import java.util.Locale;

/** What a priced model does. */
public enum ModelKind {
  CHAT,
  EMBEDDING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind fromWireName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
