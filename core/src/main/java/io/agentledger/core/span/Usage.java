package io.agentledger.core.span;

/**
 * Token usage of one span, in OpenTelemetry GenAI terms.
 *
 * <p>{@code inputTokens} includes cache reads and cache writes; {@code outputTokens} includes
 * reasoning tokens. The detail counters are subsets: {@code cacheReadTokens + cacheWriteTokens <=
 * inputTokens}, {@code reasoningTokens <= outputTokens}, {@code cacheWrite1hTokens <=
 * cacheWriteTokens} (Anthropic's one-hour cache writes, priced apart from five-minute ones). The
 * normalizer converts cache-exclusive reports (Anthropic's raw API numbers) into this shape.
 *
 * @param reported false for {@link #NONE}: the span said nothing about usage, which is not the same
 *     as reporting zero tokens
 */
public record Usage(
    boolean reported,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long cacheWrite1hTokens,
    long reasoningTokens) {

  /** No usage reported. */
  public static final Usage NONE = new Usage(false, 0, 0, 0, 0, 0, 0);

  public Usage {
    if (inputTokens < 0
        || outputTokens < 0
        || cacheReadTokens < 0
        || cacheWriteTokens < 0
        || cacheWrite1hTokens < 0
        || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    if (cacheReadTokens + cacheWriteTokens > inputTokens) {
      throw new IllegalArgumentException(
          "cache tokens ("
              + (cacheReadTokens + cacheWriteTokens)
              + ") exceed input "
              + inputTokens);
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException(
          "reasoning tokens " + reasoningTokens + " exceed output " + outputTokens);
    }
    if (cacheWrite1hTokens > cacheWriteTokens) {
      throw new IllegalArgumentException("1h cache writes exceed cache writes");
    }
  }

  /** Reported usage with input and output only. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(true, inputTokens, outputTokens, 0, 0, 0, 0);
  }

  /** Reported usage with every counter (cache writes all at the five-minute price). */
  public static Usage of(
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long cacheWriteTokens,
      long reasoningTokens) {
    return new Usage(
        true, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0, reasoningTokens);
  }

  /** Input tokens neither read from nor written to a cache. */
  public long uncachedInputTokens() {
    return inputTokens - cacheReadTokens - cacheWriteTokens;
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** The sum of two usages; reported when either is. */
  public Usage plus(Usage other) {
    if (!other.reported) {
      return this;
    }
    if (!reported) {
      return other;
    }
    return new Usage(
        true,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens,
        cacheWriteTokens + other.cacheWriteTokens,
        cacheWrite1hTokens + other.cacheWrite1hTokens,
        reasoningTokens + other.reasoningTokens);
  }
}
