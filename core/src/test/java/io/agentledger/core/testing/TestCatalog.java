package io.agentledger.core.testing;

import io.agentledger.core.pricing.PriceCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A small price catalog with round, known prices, so cost tests can be computed by hand. Prices are
 * USD per million tokens.
 */
public final class TestCatalog {

  public static final String JSON =
      """
      {"catalogVersion": "test-1", "currency": "USD", "unit": "per_million_tokens", "models": [
        {"provider": "openai", "model": "gpt-4o", "kind": "chat",
         "aliases": ["gpt-4o-2024-08-06"],
         "prices": [
           {"effectiveFrom": "2024-05-13", "input": 5.0, "output": 15.0},
           {"effectiveFrom": "2024-08-06", "input": 2.5, "output": 10.0, "cacheRead": 1.25,
            "serviceTiers": {"priority": {"input": 4.25, "output": 17.0, "cacheRead": 2.125},
                             "batch": {"input": 1.25, "output": 5.0}}}]},
        {"provider": "openai", "model": "gpt-4o-mini", "kind": "chat",
         "aliases": ["gpt-4o-mini-2024-07-18"],
         "prices": [{"effectiveFrom": "2024-07-18", "input": 0.15, "output": 0.6, "cacheRead": 0.075}]},
        {"provider": "openai", "model": "o3", "kind": "chat",
         "prices": [{"effectiveFrom": "2025-04-16", "input": 2.0, "output": 8.0, "cacheRead": 0.5}]},
        {"provider": "openai", "model": "text-embedding-3-small", "kind": "embedding",
         "prices": [{"effectiveFrom": "2024-01-25", "input": 0.02}]},
        {"provider": "anthropic", "model": "claude-sonnet-4-5", "kind": "chat",
         "aliases": ["claude-sonnet-4-5-20250929"],
         "prices": [{"effectiveFrom": "2025-09-29", "input": 3.0, "output": 15.0, "cacheRead": 0.3,
                     "cacheWrite5m": 3.75, "cacheWrite1h": 6.0,
                     "tiers": [{"aboveInputTokens": 200000, "input": 6.0, "output": 22.5,
                                "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12.0}]}]},
        {"provider": "gcp.gemini", "model": "gemini-2.5-flash", "kind": "chat",
         "prices": [{"effectiveFrom": "2025-06-17", "input": 0.3, "output": 2.5, "cacheRead": 0.03}]}
      ]}
      """;

  private static final PriceCatalog CATALOG = load();

  private TestCatalog() {}

  public static PriceCatalog catalog() {
    return CATALOG;
  }

  private static PriceCatalog load() {
    try {
      return PriceCatalog.fromJson(new ByteArrayInputStream(JSON.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
