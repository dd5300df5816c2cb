package io.agentledger.core.pricing;

import java.util.Set;

/**
 * The explicit rules for a host that has no catalog entry of its own for a model. A host sets its
 * own prices (DeepSeek on Together or Azure, Llama on Fireworks), so the model vendor's price is
 * never used in its place as if it were certain; only the hosts named here are priced otherwise.
 */
final class HostRules {

  /**
   * Runtimes that serve models on the user's own hardware: no per-token price, so a call costs $0
   * by this rule (a reported non-zero cost still wins).
   */
  private static final Set<String> LOCAL = Set.of("ollama", "vllm", "llama_cpp");

  /**
   * Gateways that bill the underlying vendor's list price: the vendor's entry prices them.
   * "OpenRouter passes through the pricing of the underlying providers"
   * (https://openrouter.ai/docs/faq, Getting started).
   */
  private static final Set<String> VENDOR_PRICE = Set.of("openrouter");

  private HostRules() {}

  static boolean isLocal(String provider) {
    return LOCAL.contains(provider);
  }

  static boolean billsVendorPrice(String provider) {
    return VENDOR_PRICE.contains(provider);
  }

  /** The names of the local runtimes, for documentation. */
  static Set<String> localRuntimes() {
    return LOCAL;
  }
}
