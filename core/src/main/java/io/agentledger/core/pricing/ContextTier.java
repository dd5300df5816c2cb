package io.agentledger.core.pricing;

/**
 * Prices that apply when a request's input (including cached tokens) exceeds a threshold, as for
 * Gemini 2.5 Pro or Claude's 1M-token context above 200,000 input tokens.
 */
public record ContextTier(long aboveInputTokens, PriceRates.PartialRates rates) {

  public ContextTier {
    if (aboveInputTokens <= 0) {
      throw new IllegalArgumentException("aboveInputTokens must be positive");
    }
  }
}
