package io.agentledger.core.pricing;

import java.util.Locale;

/** What a priced model does. */
public enum ModelKind {
  CHAT,
  EMBEDDING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values (never the class)
   */
  public static ModelKind fromWireName(String name) {
    for (ModelKind k : values()) {
      if (k.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("kind must be 'chat' or 'embedding', got '" + name + "'");
  }
}
