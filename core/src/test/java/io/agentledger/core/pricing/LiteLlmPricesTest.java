package io.agentledger.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiteLlmPricesTest {

  private static final LocalDate DAY = LocalDate.parse("2026-07-24");

  private static List<ModelPricing> read(String json) throws IOException {
    return LiteLlmPrices.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), DAY);
  }

  private static ModelPricing only(List<ModelPricing> models, String provider, String model) {
    return models.stream()
        .filter(m -> m.provider().equals(provider) && m.model().equals(model))
        .findFirst()
        .orElseThrow(() -> new AssertionError(provider + "/" + model + " not imported"));
  }

  @Test
  void regionSpecificKeys_neverShadowTheGlobalEntry() throws IOException {
    // region keys first, as in LiteLLM's file (sorted keys put "azure/eu/..." before "azure/gpt")
    List<ModelPricing> models =
        read(
            """
            {"azure/eu/gpt-4o-2024-08-06": {"litellm_provider": "azure", "mode": "chat",
               "input_cost_per_token": 2.75e-06, "output_cost_per_token": 1.1e-05},
             "azure/gpt-4o-2024-08-06": {"litellm_provider": "azure", "mode": "chat",
               "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05},
             "bedrock/us-gov-west-1/anthropic.claude-3-7-sonnet-20250219-v1:0": {
               "litellm_provider": "bedrock", "mode": "chat",
               "input_cost_per_token": 3.6e-06, "output_cost_per_token": 1.8e-05},
             "anthropic.claude-3-7-sonnet-20250219-v1:0": {"litellm_provider": "bedrock",
               "mode": "chat", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05}}
            """);

    assertThat(
            only(models, "azure.ai.openai", "gpt-4o-2024-08-06").periods().get(0).rates().input())
        .isEqualByComparingTo("2.5");
    assertThat(
            only(models, "aws.bedrock", "anthropic.claude-3-7-sonnet-20250219-v1:0")
                .periods()
                .get(0)
                .rates()
                .input())
        .isEqualByComparingTo("3");
    PriceCatalog catalog = PriceCatalog.of("litellm", models);
    assertThat(catalog.match("azure.ai.openai", "gpt-4o-2024-08-06").orElseThrow().pricedAs())
        .isEqualTo("azure.ai.openai/gpt-4o-2024-08-06");
  }

  @Test
  void oneHourCacheWriteAbove200k_isImported() throws IOException {
    List<ModelPricing> models =
        read(
            """
            {"claude-sonnet-4-5": {"litellm_provider": "anthropic", "mode": "chat",
               "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
               "cache_creation_input_token_cost": 3.75e-06,
               "cache_creation_input_token_cost_above_1hr": 6e-06,
               "input_cost_per_token_above_200k_tokens": 6e-06,
               "output_cost_per_token_above_200k_tokens": 2.25e-05,
               "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
               "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05}}
            """);

    PricePeriod period = only(models, "anthropic", "claude-sonnet-4-5").periods().get(0);
    assertThat(period.rates().cacheWrite1h()).isEqualByComparingTo("6");
    ContextTier tier = period.tierFor(200_001);
    assertThat(tier).isNotNull();
    assertThat(tier.rates().cacheWrite1h()).isEqualByComparingTo(new BigDecimal("12"));
  }

  @Test
  void theRealFile_importsWithoutRegionShadowing() throws IOException {
    try (InputStream in =
        getClass()
            .getResourceAsStream(
                "/fixtures/litellm/model_prices_and_context_window-2026-07-24.json")) {
      List<ModelPricing> models = LiteLlmPrices.read(in, DAY);
      assertThat(models).hasSizeGreaterThan(500);
      assertThat(
              only(models, "azure.ai.openai", "gpt-4o-2024-08-06").periods().get(0).rates().input())
          .isEqualByComparingTo("2.5");
    }
  }
}
