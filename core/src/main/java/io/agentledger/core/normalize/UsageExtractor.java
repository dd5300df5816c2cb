package io.agentledger.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.Usage;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads token usage from whichever keys the emitter used and converts it to the OpenTelemetry GenAI
 * shape (input includes cache reads and writes, output includes reasoning).
 *
 * <p>Precedence: Langfuse's usage details, then, per counter, the first present key of its {@link
 * Conventions} list, then Vercel's provider metadata for cache and reasoning details.
 *
 * <p>Cache-exclusive input (Anthropic's raw numbers) is recognised when the emitter is known to
 * send it (OpenLIT for Anthropic, Vercel AI SDK ≤ 4 {@code promptTokens}, Langfuse usage details)
 * or when the input is smaller than the cache reads and writes it should include; the cache tokens
 * are then added to it. Reasoning larger than output is likewise treated as exclusive.
 */
final class UsageExtractor {

  private static final String[] INPUT = Conventions.INPUT.names();
  private static final String[] OUTPUT = Conventions.OUTPUT.names();
  private static final String[] CACHE_READ = Conventions.CACHE_READ.names();
  private static final String[] CACHE_WRITE = Conventions.CACHE_WRITE.names();
  private static final String[] CACHE_WRITE_1H = Conventions.CACHE_WRITE_1H.names();
  private static final String[] REASONING = Conventions.REASONING.names();
  private static final String[] TOTAL = Conventions.TOTAL.names();

  /** Vercel AI SDK ≤ 4 reports Anthropic's raw input, which excludes the cache. */
  private static final String CACHE_EXCLUSIVE_INPUT =
      Conventions.INPUT.require("ai.usage.promptTokens");

  /** The extracted usage, or NONE with the reason the reported values could not be used. */
  record Result(Usage usage, String problem) {}

  private UsageExtractor() {}

  private static final Set<String> THOUGHTS_APART =
      Set.of(Conventions.GEMINI_THOUGHTS_APART.names());

  static Result extract(
      Attrs a, SpanType type, String provider, String model, boolean fromOpenLit) {
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
      String reasoningKey = a.firstKey(REASONING);
      long reasoning = reasoningKey == null ? -1 : a.tokens(reasoningKey);
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
      long[] gemini = geminiResponse(a);
      cacheRead = cacheRead >= 0 ? cacheRead : gemini[0];
      // Gemini reports thoughts apart from the candidates; some conventions copy both apart.
      boolean thoughtsApart =
          reasoningKey != null
              && isGemini(provider, model)
              && THOUGHTS_APART.contains(reasoningKey);
      if (reasoning < 0 && fromMetadata[3] >= 0) {
        reasoning = fromMetadata[3];
      } else if (reasoning < 0 && (fromMetadata[4] >= 0 || gemini[1] >= 0)) {
        reasoning = fromMetadata[4] >= 0 ? fromMetadata[4] : gemini[1];
        thoughtsApart = true;
      }
      boolean knownExclusive =
          (fromOpenLit && provider.equals("anthropic")) || CACHE_EXCLUSIVE_INPUT.equals(inputKey);
      return new Result(
          shape(
              input,
              output,
              cacheRead,
              cacheWrite,
              cacheWrite1h,
              reasoning,
              knownExclusive,
              thoughtsApart),
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
    String raw = a.get(Conventions.USAGE_DETAILS.key());
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

  private static boolean isGemini(String provider, String model) {
    return provider.startsWith("gcp.") || model.toLowerCase(Locale.ROOT).contains("gemini");
  }

  /** Cache read and thoughts from a Gemini response recorded as JSON (Google ADK). */
  private static long[] geminiResponse(Attrs a) {
    long[] out = {-1, -1};
    String key = Conventions.GEMINI_RESPONSE.key();
    JsonNode response = SmallJson.parse(a.get(key));
    if (response == null || !response.isObject()) {
      return out;
    }
    JsonNode usage = response.path("usage_metadata");
    for (int i = 0; i < 2; i++) {
      String field = i == 0 ? "cached_content_token_count" : "thoughts_token_count";
      JsonNode n = usage.path(field);
      if (!n.isMissingNode() && !n.isNull()) {
        out[i] = Attrs.parseTokens(key + ".usage_metadata." + field, n.asText());
      }
    }
    return out;
  }

  /**
   * Cache and reasoning details from Vercel's provider metadata: read, write, write1h, reasoning
   * (inside output), Gemini thoughts (apart from output).
   */
  private static long[] providerMetadata(Attrs a) {
    long[] out = {-1, -1, -1, -1, -1};
    JsonNode meta = SmallJson.parse(a.get(Conventions.PROVIDER_METADATA.key()));
    if (meta == null || !meta.isObject()) {
      return out;
    }
    out[0] = firstCount(meta, Conventions.METADATA_CACHE_READ.names());
    out[1] = firstCount(meta, Conventions.METADATA_CACHE_WRITE.names());
    out[2] = firstCount(meta, Conventions.METADATA_CACHE_WRITE_1H.names());
    out[3] = firstCount(meta, Conventions.METADATA_REASONING.names());
    out[4] = firstCount(meta, Conventions.METADATA_THOUGHTS.names());
    return out;
  }

  private static long firstCount(JsonNode root, String... pointers) {
    for (String pointer : pointers) {
      JsonNode n = root.at(pointer);
      if (!n.isMissingNode() && !n.isNull()) {
        return Attrs.parseTokens(
            Conventions.PROVIDER_METADATA.key() + pointer.replace('/', '.'), n.asText());
      }
    }
    return -1;
  }
}
