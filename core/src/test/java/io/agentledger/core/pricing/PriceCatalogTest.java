package io.agentledger.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceCatalogTest {

  private final PriceCatalog catalog = TestCatalog.catalog();

  @ParameterizedTest
  @CsvSource({
    "openai, gpt-4o, openai/gpt-4o, EXACT",
    "openai, GPT-4o, openai/gpt-4o, EXACT",
    "openai, gpt-4o-2024-08-06, openai/gpt-4o, ALIAS",
    "openai, gpt-4o-2024-11-20, openai/gpt-4o, NORMALIZED",
    "'', openai/gpt-4o, openai/gpt-4o, NORMALIZED",
    "openrouter, anthropic/claude-sonnet-4-5, anthropic/claude-sonnet-4-5, OTHER_PROVIDER",
    "gcp.vertex_ai, claude-sonnet-4-5@20250929, anthropic/claude-sonnet-4-5, OTHER_PROVIDER",
    "anthropic, claude-sonnet-4-5@20250929, anthropic/claude-sonnet-4-5, NORMALIZED",
    "aws.bedrock, anthropic.claude-sonnet-4-5-20250929-v1:0, anthropic/claude-sonnet-4-5, OTHER_PROVIDER",
    "gcp.gemini, models/gemini-2.5-flash, gcp.gemini/gemini-2.5-flash, NORMALIZED",
    "azure.ai.openai, gpt-4o, openai/gpt-4o, OTHER_PROVIDER",
  })
  void datedAndPrefixedIds_matchAndSayHow(
      String provider, String model, String pricedAs, PriceMatch.How how) {
    PriceMatch match = catalog.match(provider, model).orElseThrow();

    assertThat(match.pricedAs()).isEqualTo(pricedAs);
    assertThat(match.how()).isEqualTo(how);
  }

  @Test
  void similarButDifferentModels_doNotMatch() {
    assertThat(catalog.match("openai", "gpt-4o-mini-transcribe")).isEmpty();
    assertThat(catalog.match("openai", "gpt-4o-audio-preview")).isEmpty();
    assertThat(catalog.match("openai", "")).isEmpty();
  }

  @Test
  void projectOverrides_winAndSaySo() {
    ModelPricing negotiated =
        new ModelPricing(
            "openai",
            "gpt-4o",
            ModelKind.CHAT,
            List.of(),
            List.of(PricePeriod.of(LocalDate.parse("2020-01-01"), PriceRates.of(1.0, 4.0))));
    PriceCatalog withOverride = catalog.withOverrides(List.of(negotiated));

    PriceMatch match = withOverride.match("openai", "gpt-4o-2024-08-06").orElseThrow();

    assertThat(match.pricedAs()).isEqualTo("override:openai/gpt-4o");
    assertThat(match.pricing().periods().get(0).rates().input())
        .isEqualByComparingTo(BigDecimal.ONE);
    assertThat(withOverride.match("openai", "o3").orElseThrow().pricedAs()).isEqualTo("openai/o3");
    assertThat(withOverride.version()).isEqualTo("test-1+overrides");
  }

  @Test
  void bundledCatalog_coversTheSixVendorsAndTheirHostedIds() {
    PriceCatalog bundled = PriceCatalog.bundled();

    assertThat(bundled.models()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(bundled.byProvider().keySet())
        .contains(
            "openai",
            "anthropic",
            "gcp.gemini",
            "mistral_ai",
            "deepseek",
            "x_ai",
            "azure.ai.openai",
            "aws.bedrock",
            "gcp.vertex_ai");
    assertThat(bundled.models()).anyMatch(m -> m.kind() == ModelKind.EMBEDDING);
    assertThat(bundled.match("anthropic", "claude-sonnet-4-5-20250929")).isPresent();
    assertThat(bundled.match("openai", "gpt-4o-2024-08-06")).isPresent();
    assertThat(bundled.match("gcp.vertex_ai", "claude-sonnet-4-5@20250929")).isPresent();
    assertThat(bundled.match("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
        .isPresent();
    for (ModelPricing m : bundled.models()) {
      for (PricePeriod p : m.periods()) {
        assertThat(p.rates().input()).as(m.id()).isNotNull();
        if (m.kind() == ModelKind.CHAT) {
          assertThat(p.rates().output()).as(m.id()).isNotNull();
        }
      }
    }
  }

  @Test
  void everyEntry_survivesAJsonRoundTrip() {
    for (ModelPricing m : PriceCatalog.bundled().models()) {
      assertThat(ModelPricing.fromJson(m.toJson())).as(m.id()).isEqualTo(m);
    }
  }
}
