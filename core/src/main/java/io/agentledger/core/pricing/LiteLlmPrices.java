package io.agentledger.core.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.normalize.ProviderNames;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Imports LiteLLM's {@code model_prices_and_context_window.json}, so users can bring the price list
 * they already maintain. Prices there are dollars per token; chat, completion, responses and
 * embedding models with an input price are imported, others (images, audio, rerank) skipped, and so
 * are region- or commitment-specific keys ({@link #isRegional}). Context tiers above 128k, 200k and
 * 272k tokens are imported with their cache prices, the one-hour cache write included.
 */
public final class LiteLlmPrices {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> MODES = Set.of("chat", "completion", "responses", "embedding");

  private LiteLlmPrices() {}

  /**
   * Reads a LiteLLM price file.
   *
   * @param effectiveFrom the date the imported prices take effect (LiteLLM's file has no dates)
   */
  public static List<ModelPricing> read(InputStream in, LocalDate effectiveFrom)
      throws IOException {
    JsonNode root = JSON.readTree(in);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("LiteLLM price file: expected a JSON object");
    }
    List<ModelPricing> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode spec = entry.getValue();
      if (entry.getKey().equals("sample_spec") || !spec.isObject() || isRegional(entry.getKey())) {
        continue;
      }
      String mode = spec.path("mode").asText("chat");
      BigDecimal input = perMillion(spec, "input_cost_per_token");
      if (!MODES.contains(mode) || input == null) {
        continue;
      }
      String provider = provider(spec.path("litellm_provider").asText(""));
      String model = modelId(entry.getKey());
      if (provider.isEmpty() || !seen.add(provider + "/" + model.toLowerCase())) {
        continue;
      }
      ModelKind kind = mode.equals("embedding") ? ModelKind.EMBEDDING : ModelKind.CHAT;
      BigDecimal output = perMillion(spec, "output_cost_per_token");
      if (kind == ModelKind.CHAT && output == null) {
        output = BigDecimal.ZERO;
      }
      PriceRates rates =
          new PriceRates(
              input,
              output,
              perMillion(spec, "cache_read_input_token_cost"),
              perMillion(spec, "cache_creation_input_token_cost"),
              perMillion(spec, "cache_creation_input_token_cost_above_1hr"),
              perMillion(spec, "output_cost_per_reasoning_token"));
      List<ContextTier> tiers = new ArrayList<>();
      for (long threshold : new long[] {128_000, 200_000, 272_000}) {
        String suffix = "_above_" + (threshold / 1000) + "k_tokens";
        PriceRates.PartialRates tier =
            new PriceRates.PartialRates(
                perMillion(spec, "input_cost_per_token" + suffix),
                perMillion(spec, "output_cost_per_token" + suffix),
                perMillion(spec, "cache_read_input_token_cost" + suffix),
                perMillion(spec, "cache_creation_input_token_cost" + suffix),
                perMillion(spec, "cache_creation_input_token_cost_above_1hr" + suffix),
                null);
        if (tier.input() != null || tier.output() != null) {
          tiers.add(new ContextTier(threshold, tier));
        }
      }
      Map<ServiceTier, PriceRates.PartialRates> serviceTiers = new EnumMap<>(ServiceTier.class);
      putTier(serviceTiers, ServiceTier.BATCH, spec, "_batches");
      putTier(serviceTiers, ServiceTier.FLEX, spec, "_flex");
      putTier(serviceTiers, ServiceTier.PRIORITY, spec, "_priority");
      out.add(
          new ModelPricing(
              provider,
              model,
              kind,
              List.of(),
              List.of(new PricePeriod(effectiveFrom, rates, tiers, serviceTiers))));
    }
    return out;
  }

  private static void putTier(
      Map<ServiceTier, PriceRates.PartialRates> tiers,
      ServiceTier tier,
      JsonNode spec,
      String suffix) {
    PriceRates.PartialRates rates =
        new PriceRates.PartialRates(
            perMillion(spec, "input_cost_per_token" + suffix),
            perMillion(spec, "output_cost_per_token" + suffix),
            perMillion(spec, "cache_read_input_token_cost" + suffix),
            null,
            null,
            null);
    if (rates.input() != null || rates.output() != null) {
      tiers.put(tier, rates);
    }
  }

  /**
   * Keys priced for one region or commitment ({@code azure/eu/gpt-4o}, {@code
   * bedrock/us-gov-west-1/anthropic...}, {@code bedrock/1-month-commitment/...}): a span does not
   * say its region, and these prices must never shadow the global entry of the same model, so they
   * are not imported. Routing segments that name a vendor ({@code openrouter/anthropic/...}) stay.
   */
  static boolean isRegional(String key) {
    String[] segments = key.split("/");
    for (int i = 1; i < segments.length - 1; i++) {
      if (REGION.matcher(segments[i]).matches()) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern REGION =
      Pattern.compile(
          "(us|eu|global|apac|jp|au|ca|uk|asia|[a-z]{2}(-gov)?-[a-z]+-\\d+|\\d+-months?-commitment)");

  /** LiteLLM's provider names, mapped to OpenTelemetry's. */
  static String provider(String litellm) {
    if (litellm.startsWith("vertex_ai")) {
      return "gcp.vertex_ai";
    }
    if (litellm.startsWith("bedrock")) {
      return "aws.bedrock";
    }
    return switch (litellm) {
      case "text-completion-openai" -> "openai";
      case "azure_ai" -> "azure.ai.inference";
      case "azure", "azure_text" -> "azure.ai.openai";
      default -> ProviderNames.normalize(litellm);
    };
  }

  /**
   * {@code azure/gpt-4o} → {@code gpt-4o}; {@code bedrock/us-east-1/anthropic.x} → {@code
   * anthropic.x}.
   */
  static String modelId(String key) {
    int slash = key.lastIndexOf('/');
    return slash >= 0 ? key.substring(slash + 1) : key;
  }

  private static @Nullable BigDecimal perMillion(JsonNode spec, String field) {
    JsonNode value = spec.get(field);
    if (value == null || !value.isNumber()) {
      return null;
    }
    BigDecimal perToken = value.decimalValue();
    return perToken.signum() < 0 ? null : perToken.movePointRight(6).stripTrailingZeros();
  }
}
