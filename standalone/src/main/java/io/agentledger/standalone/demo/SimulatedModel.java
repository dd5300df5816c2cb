package io.agentledger.standalone.demo;

import java.time.Duration;

/**
 * A model the demo's agents call, with how fast it answers: time to the first token, then time per
 * output token. Names are the bundled price catalog's, so every call is priced.
 */
enum SimulatedModel {
  GPT_4O_MINI("openai", "gpt-4o-mini", 350, 12),
  GPT_41_MINI("openai", "gpt-4.1-mini", 400, 14),
  CLAUDE_SONNET("anthropic", "claude-sonnet-4-5", 650, 22),
  GEMINI_FLASH("gcp.gemini", "gemini-2.5-flash", 300, 6);

  final String provider;
  final String model;
  private final int firstTokenMs;
  private final int msPerOutputToken;

  SimulatedModel(String provider, String model, int firstTokenMs, int msPerOutputToken) {
    this.provider = provider;
    this.model = model;
    this.firstTokenMs = firstTokenMs;
    this.msPerOutputToken = msPerOutputToken;
  }

  /** How long an answer of {@code outputTokens} to a prompt of {@code inputTokens} takes. */
  Duration latency(long inputTokens, long outputTokens) {
    // Prompt processing is fast but not free: about 1 ms per 100 input tokens.
    return Duration.ofMillis(firstTokenMs + inputTokens / 100 + outputTokens * msPerOutputToken);
  }
}
