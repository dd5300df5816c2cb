package io.agentledger.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.Usage;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads token usage from whichever keys the emitter used and converts it to the OpenTelemetry GenAI
 * shape (input includes cache reads and writes, output includes reasoning).
 *
 * <p>Precedence: Langfuse's {@code langfuse.observation.usage_details}, then, per counter, the
 * first present key of the lists below (OTel GenAI 2026 → 1.37–1.41 → pre-1.27, OpenInference,
 * Vercel AI SDK, OpenLLMetry, OpenLIT, Pydantic AI), then Vercel's {@code
 * ai.response.providerMetadata} for cache and reasoning details.
 *
 * <p>Cache-exclusive input (Anthropic's raw numbers) is recognised when the emitter is known to
 * send it (OpenLIT for Anthropic, Vercel AI SDK ≤ 4 {@code promptTokens}, Langfuse usage details)
 * or when the input is smaller than the cache reads and writes it should include; the cache tokens
 * are then added to it. Reasoning larger than output is likewise treated as exclusive.
 */
final class UsageExtractor {

  static final String[] INPUT = {
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "llm.token_count.prompt",
    "ai.usage.inputTokens",
    "ai.usage.promptTokens",
    "llm.usage.prompt_tokens"
  };
  static final String[] OUTPUT = {
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.token_count.completion",
    "ai.usage.outputTokens",
    "ai.usage.completionTokens",
    "llm.usage.completion_tokens"
  };
  static final String[] CACHE_READ = {
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "llm.token_count.prompt_details.cache_read",
    "ai.usage.inputTokenDetails.cacheReadTokens",
    "ai.usage.cachedInputTokens",
    "gen_ai.usage.details.cache_read_tokens",
    "gen_ai.usage.prompt_tokens_details.cached_tokens",
    "gen_ai.usage.cache_read_tokens"
  };
  static final String[] CACHE_WRITE = {
    "gen_ai.usage.cache_write.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "llm.token_count.prompt_details.cache_write",
    "ai.usage.inputTokenDetails.cacheWriteTokens",
    "gen_ai.usage.details.cache_write_tokens",
    "gen_ai.usage.prompt_tokens_details.cache_creation_tokens"
  };
  static final String[] CACHE_WRITE_1H = {
    "gen_ai.usage.cache_write.1h.input_tokens",
    "gen_ai.usage.cache_creation.ephemeral_1h_input_tokens",
    "gen_ai.usage.details.cache_write_1h_tokens"
  };
  static final String[] REASONING = {
    "gen_ai.usage.reasoning.output_tokens",
    "gen_ai.usage.reasoning_tokens",
    "llm.token_count.completion_details.reasoning",
    "ai.usage.outputTokenDetails.reasoningTokens",
    "ai.usage.reasoningTokens",
    "gen_ai.usage.completion_tokens_details.reasoning_tokens",
    "gen_ai.usage.details.reasoning_tokens",
    "llm.usage.reasoning_tokens"
  };
  static final String[] TOTAL = {
    "gen_ai.usage.total_tokens", "llm.token_count.total", "ai.usage.tokens"
  };

  /** The extracted usage, or NONE with the reason the reported values could not be used. */
  record Result(Usage usage, String problem) {}

  private UsageExtractor() {}

  static Result extract(Attrs a, SpanType type, String provider, boolean fromOpenLit) {
    try {
      Result langfuse = fromLangfuseDetails(a);
      if (langfuse != null) {
        return langfuse;
      }
      String inputKey = a.firstKey(INPUT);
      long input = inputKey == null ? -1 : a.tokens(inputKey);
      long output = a.firstTokens(OUTPUT);
      long cacheRead = a.firstTokens(CACHE_READ);
      long cacheWrite = a.firstTokens(CACHE_WRITE);
      long cacheWrite1h = a.firstTokens(CACHE_WRITE_1H);
      long reasoning = a.firstTokens(REASONING);
      if (input < 0 && type == SpanType.EMBEDDING) {
        input = a.firstTokens(TOTAL);
      }
      if (input < 0 && output < 0 && cacheRead < 0 && cacheWrite < 0 && reasoning < 0) {
        return new Result(Usage.NONE, "");
      }
      long[] fromMetadata = providerMetadata(a);
      cacheRead = cacheRead >= 0 ? cacheRead : fromMetadata[0];
      cacheWrite = cacheWrite >= 0 ? cacheWrite : fromMetadata[1];
      cacheWrite1h = cacheWrite1h >= 0 ? cacheWrite1h : fromMetadata[2];
      reasoning = reasoning >= 0 ? reasoning : fromMetadata[3];
      boolean knownExclusive =
          (fromOpenLit && provider.equals("anthropic")) || "ai.usage.promptTokens".equals(inputKey);
      return new Result(
          shape(
              input, output, cacheRead, cacheWrite, cacheWrite1h, reasoning, knownExclusive, false),
          "");
    } catch (Attrs.InvalidValueException e) {
      return new Result(Usage.NONE, "invalid usage: " + e.getMessage());
    }
  }

  /** Builds a valid {@link Usage} from raw counters (-1 = absent), resolving exclusivity. */
  static Usage shape(
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long reasoning,
      boolean inputExclusive,
      boolean outputExclusive) {
    long in = Math.max(0, input);
    long out = Math.max(0, output);
    long read = Math.max(0, cacheRead);
    long write = Math.max(0, cacheWrite);
    long write1h = Math.max(0, cacheWrite1h);
    long think = Math.max(0, reasoning);
    write = Math.max(write, write1h);
    if (inputExclusive || in < read + write) {
      in += read + write;
    }
    if (outputExclusive || out < think) {
      out += think;
    }
    return new Usage(true, in, out, read, write, write1h, think);
  }

  /**
   * Langfuse's usage details are disjoint buckets: {@code input} excludes cached tokens and {@code
   * output} excludes reasoning. OpenAI-style keys inside it ({@code prompt_tokens}) are inclusive.
   */
  private static @Nullable Result fromLangfuseDetails(Attrs a) {
    String raw = a.get("langfuse.observation.usage_details");
    if (raw.isEmpty()) {
      return null;
    }
    JsonNode details = SmallJson.parse(raw);
    if (details == null || !details.isObject()) {
      return new Result(
          Usage.NONE, "invalid usage: langfuse.observation.usage_details is not a JSON object");
    }
    long input = -1, output = -1, read = -1, write = -1, write1h = -1, reasoning = -1;
    boolean inputExclusive = false, outputExclusive = false;
    Iterator<Map.Entry<String, JsonNode>> it = details.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      long v = Attrs.parseTokens("usage_details." + e.getKey(), e.getValue().asText());
      switch (e.getKey()) {
        case "input" -> {
          input = v;
          inputExclusive = true;
        }
        case "prompt_tokens", "input_tokens" -> input = input >= 0 ? input : v;
        case "output" -> {
          output = v;
          outputExclusive = true;
        }
        case "completion_tokens", "output_tokens" -> output = output >= 0 ? output : v;
        case "input_cached_tokens",
            "cache_read_input_tokens",
            "cached_tokens",
            "input_cache_read" ->
            read = v;
        case "input_cache_creation", "cache_creation_input_tokens", "input_cache_write" ->
            write = v;
        case "input_cache_creation_1h" -> write1h = v;
        case "output_reasoning_tokens", "output_reasoning", "reasoning_tokens" -> reasoning = v;
        default -> {}
      }
    }
    if (input < 0 && output < 0) {
      return null;
    }
    return new Result(
        shape(input, output, read, write, write1h, reasoning, inputExclusive, outputExclusive), "");
  }

  /**
   * Cache and reasoning details from Vercel's provider metadata: read, write, write1h, reasoning.
   */
  private static long[] providerMetadata(Attrs a) {
    long[] out = {-1, -1, -1, -1};
    JsonNode meta = SmallJson.parse(a.get("ai.response.providerMetadata"));
    if (meta == null || !meta.isObject()) {
      return out;
    }
    out[0] =
        firstCount(
            meta,
            "/openai/cachedPromptTokens",
            "/anthropic/usage/cache_read_input_tokens",
            "/anthropic/cacheReadInputTokens",
            "/bedrock/usage/cacheReadInputTokens");
    out[1] =
        firstCount(
            meta,
            "/anthropic/cacheCreationInputTokens",
            "/anthropic/usage/cache_creation_input_tokens",
            "/bedrock/usage/cacheWriteInputTokens");
    out[2] = firstCount(meta, "/anthropic/usage/cache_creation/ephemeral_1h_input_tokens");
    out[3] = firstCount(meta, "/openai/reasoningTokens");
    return out;
  }

  private static long firstCount(JsonNode root, String... pointers) {
    for (String pointer : pointers) {
      JsonNode n = root.at(pointer);
      if (!n.isMissingNode() && !n.isNull()) {
        return Attrs.parseTokens(
            "ai.response.providerMetadata" + pointer.replace('/', '.'), n.asText());
      }
    }
    return -1;
  }
}
