package io.agentledger.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.Usage;
import io.agentledger.core.testing.TestCatalog;
import io.agentledger.core.testing.Times;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Every expected amount below is computed by hand from {@link TestCatalog}'s prices. */
class CostCalculatorTest {

  private final CostCalculator calculator = new CostCalculator(TestCatalog.catalog());

  private Cost cost(String provider, String model, Usage usage, String date) {
    return cost(provider, model, usage, date, ServiceTier.STANDARD);
  }

  private Cost cost(String provider, String model, Usage usage, String date, ServiceTier tier) {
    return calculator.cost(
        new CostRequest("p", true, provider, model, usage, false, null, Times.noonUtc(date), tier));
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount).setScale(Cost.SCALE);
  }

  @Test
  void openAiCachedInput_isPricedAtTheCacheReadPriceOnlyOnce() {
    // 1500 input of which 1024 cached, 320 output:
    // 476 × $2.50 + 1024 × $1.25 + 320 × $10 = 1190 + 1280 + 3200 = 5670 per million
    Cost cost = cost("openai", "gpt-4o", Usage.of(1500, 320, 1024, 0, 0), "2025-01-10");

    assertThat(cost.amountUsd()).isEqualTo(usd("0.005670"));
    assertThat(cost.source()).isEqualTo(CostSource.COMPUTED);
    assertThat(cost.pricedAs()).isEqualTo("openai/gpt-4o");
    assertThat(cost.catalogVersion()).isEqualTo("test-1");
  }

  @Test
  void anthropicCacheReadAndWrite_eachAtItsOwnPrice() {
    // 100 fresh + 2000 cache read + 500 cache write (5m), 200 output:
    // 100 × 3 + 2000 × 0.30 + 500 × 3.75 + 200 × 15 = 300 + 600 + 1875 + 3000 = 5775 per million
    Usage usage = Usage.of(2600, 200, 2000, 500, 0);

    assertThat(cost("anthropic", "claude-sonnet-4-5", usage, "2025-10-01").amountUsd())
        .isEqualTo(usd("0.005775"));
  }

  @Test
  void anthropicOneHourCacheWrites_costMoreThanFiveMinuteOnes() {
    // of 500 cache-write tokens, 200 at the 1h price: 300 × 3.75 + 200 × 6 = 1125 + 1200 = 2325;
    // plus 100 × 3 + 2000 × 0.30 + 200 × 15 = 3900 → 6225 per million
    Usage usage = new Usage(true, 2600, 200, 2000, 500, 200, 0);

    assertThat(cost("anthropic", "claude-sonnet-4-5", usage, "2025-10-01").amountUsd())
        .isEqualTo(usd("0.006225"));
  }

  @Test
  void reasoningTokens_arePartOfOutputAndNotBilledTwice() {
    // 1000 × $2 + 3000 output (2500 of it reasoning) × $8 = 2000 + 24000 = 26000 per million
    Cost cost = cost("openai", "o3", Usage.of(1000, 3000, 0, 0, 2500), "2025-06-01");

    assertThat(cost.amountUsd()).isEqualTo(usd("0.026"));
  }

  @Test
  void contextTier_appliesOnlyAboveTheThreshold_toTheWholeRequest() {
    // exactly 200,000 input: base price. 200000 × 3 + 1000 × 15 = 615000 per million
    assertThat(
            cost("anthropic", "claude-sonnet-4-5", Usage.of(200_000, 1000), "2025-10-01")
                .amountUsd())
        .isEqualTo(usd("0.615"));
    // 200,001 input: long-context price for all of it. 200001 × 6 + 1000 × 22.5 = 1222506
    Cost above = cost("anthropic", "claude-sonnet-4-5", Usage.of(200_001, 1000), "2025-10-01");
    assertThat(above.amountUsd()).isEqualTo(usd("1.222506"));
    assertThat(above.detail()).contains("long-context");
  }

  @Test
  void batchAboveTheLongContextThreshold_isHalfTheLongContextPrice() throws Exception {
    PriceCatalog catalog =
        PriceCatalog.fromJson(
            new java.io.ByteArrayInputStream(
                """
                {"catalogVersion": "t", "models": [{"provider": "anthropic",
                  "model": "claude-sonnet-4-5", "prices": [{"effectiveFrom": "2025-09-29",
                  "input": 3.0, "output": 15.0, "cacheRead": 0.3,
                  "tiers": [{"aboveInputTokens": 200000, "input": 6.0, "output": 22.5,
                             "cacheRead": 0.6}],
                  "serviceTiers": {"batch": {"input": 1.5, "output": 7.5, "cacheRead": 0.15}}}]}]}
                """
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    CostCalculator batchCalculator = new CostCalculator(catalog);
    Usage usage = Usage.of(300_000, 1000, 100_000, 0, 0);

    Cost cost =
        batchCalculator.cost(
            new CostRequest(
                "p",
                true,
                "anthropic",
                "claude-sonnet-4-5",
                usage,
                false,
                null,
                Times.noonUtc("2025-10-01"),
                ServiceTier.BATCH));

    // half the long-context price: 200000 × 3 + 100000 × 0.3 + 1000 × 11.25 = 641250 per million
    assertThat(cost.amountUsd()).isEqualTo(usd("0.64125"));
    assertThat(cost.detail()).contains("long-context").contains("batch");
    // below the threshold the batch price is half the base price
    Cost small =
        batchCalculator.cost(
            new CostRequest(
                "p",
                true,
                "anthropic",
                "claude-sonnet-4-5",
                Usage.of(1000, 1000),
                false,
                null,
                Times.noonUtc("2025-10-01"),
                ServiceTier.BATCH));
    assertThat(small.amountUsd()).isEqualTo(usd("0.009")); // 1000 × 1.5 + 1000 × 7.5
  }

  @Test
  void priceChange_appliesFromItsEffectiveDate() {
    Usage usage = Usage.of(1000, 1000);
    // before 2024-08-06: 1000 × 5 + 1000 × 15 = 20000 per million
    assertThat(cost("openai", "gpt-4o", usage, "2024-08-05").amountUsd()).isEqualTo(usd("0.02"));
    // from 2024-08-06: 1000 × 2.5 + 1000 × 10 = 12500 per million
    assertThat(cost("openai", "gpt-4o", usage, "2024-08-06").amountUsd()).isEqualTo(usd("0.0125"));
  }

  @Test
  void serviceTier_priorityIsPricedAsSuch_andAMissingTierPriceIsSaid() {
    // priority: 1000 × 4.25 + 100 × 17 = 5950 per million
    Cost priority =
        cost("openai", "gpt-4o", Usage.of(1000, 100), "2025-01-10", ServiceTier.PRIORITY);
    assertThat(priority.amountUsd()).isEqualTo(usd("0.00595"));
    assertThat(priority.detail()).contains("priority");

    Cost flex = cost("openai", "gpt-4o", Usage.of(1000, 100), "2025-01-10", ServiceTier.FLEX);
    assertThat(flex.amountUsd()).isEqualTo(usd("0.0035")); // standard: 2500 + 1000
    assertThat(flex.detail()).contains("no flex price");
  }

  @Test
  void reportedCost_wins() {
    Cost cost =
        calculator.cost(
            new CostRequest(
                "p",
                true,
                "openai",
                "gpt-4o",
                Usage.of(1000, 1000),
                false,
                new BigDecimal("0.0421"),
                Times.noonUtc("2025-01-10"),
                ServiceTier.STANDARD));

    assertThat(cost.source()).isEqualTo(CostSource.REPORTED);
    assertThat(cost.amountUsd()).isEqualTo(usd("0.0421"));
  }

  @Test
  void reportedZero_besideUsageOfAPricedModel_isNotACost() {
    Cost cost =
        calculator.cost(
            new CostRequest(
                "p",
                true,
                "openai",
                "gpt-4o",
                Usage.of(1000, 1000),
                false,
                BigDecimal.ZERO,
                Times.noonUtc("2025-01-10"),
                ServiceTier.STANDARD));

    assertThat(cost.source()).isEqualTo(CostSource.COMPUTED);
    assertThat(cost.amountUsd()).isEqualTo(usd("0.0125"));
    assertThat(cost.detail()).contains("reported cost 0 ignored");
  }

  @Test
  void reportedZero_besideUsage_ofAModelWeDoNotPrice_isUnknownNotFree() {
    // OpenLIT writes gen_ai.usage.cost = 0 whenever its own price lookup fails.
    Cost cost = reported("acme", "acme-ultra-9", Usage.of(1000, 1000), BigDecimal.ZERO);

    assertThat(cost.source()).isEqualTo(CostSource.UNKNOWN);
    assertThat(cost.amountUsd()).isNull();
    assertThat(cost.detail()).contains("reported cost 0 ignored").contains("acme-ultra-9");
  }

  @Test
  void reportedZero_fromALocalRuntime_isZeroByTheLocalRule() {
    Cost cost = reported("ollama", "llama3.2:3b", Usage.of(1000, 1000), BigDecimal.ZERO);

    assertThat(cost.source()).isEqualTo(CostSource.COMPUTED);
    assertThat(cost.amountUsd()).isEqualTo(usd("0"));
    assertThat(cost.pricedAs()).isEqualTo("local:ollama");
  }

  @Test
  void localRuntimes_costNothing_byAnExplicitRule() {
    for (String runtime : new String[] {"ollama", "vllm", "llama_cpp"}) {
      Cost cost =
          cost(runtime, "meta-llama/Llama-3.1-8B-Instruct", Usage.of(5000, 500), "2025-06-01");
      assertThat(cost.source()).as(runtime).isEqualTo(CostSource.COMPUTED);
      assertThat(cost.amountUsd()).as(runtime).isEqualTo(usd("0"));
      assertThat(cost.detail()).as(runtime).contains("local runtime");
    }
    // even when the model id is one the catalog prices for its vendor
    assertThat(cost("ollama", "gpt-4o", Usage.of(1000, 100), "2025-06-01").amountUsd())
        .isEqualTo(usd("0"));
  }

  @Test
  void hostWithoutItsOwnPrice_isUnknown_notTheVendorsPriceAsIfCertain() {
    Cost azure = cost("azure.ai.inference", "gpt-4o", Usage.of(1000, 100), "2025-06-01");
    assertThat(azure.source()).isEqualTo(CostSource.UNKNOWN);
    assertThat(azure.detail()).contains("azure.ai.inference").contains("openai/gpt-4o");

    CostCalculator bundled = new CostCalculator(PriceCatalog.bundled());
    Cost together =
        bundled.cost(
            new CostRequest(
                "p",
                true,
                "together_ai",
                "deepseek-ai/DeepSeek-V3",
                Usage.of(1000, 100),
                false,
                null,
                Times.noonUtc("2025-06-01"),
                ServiceTier.STANDARD));
    assertThat(together.source()).isEqualTo(CostSource.UNKNOWN);
    assertThat(together.detail()).contains("together_ai");
  }

  @Test
  void gatewayThatPassesThroughVendorPrices_isPricedAtTheVendorsPrice() {
    Cost cost = cost("openrouter", "openai/gpt-4o", Usage.of(1000, 100), "2025-06-01");

    assertThat(cost.source()).isEqualTo(CostSource.COMPUTED);
    assertThat(cost.amountUsd()).isEqualTo(usd("0.0035")); // 1000 × 2.5 + 100 × 10
    assertThat(cost.pricedAs()).isEqualTo("openai/gpt-4o");
  }

  @Test
  void noProviderSaid_isPricedAtTheModelsVendor() {
    Cost cost = cost("", "gpt-4o", Usage.of(1000, 100), "2025-06-01");

    assertThat(cost.source()).isEqualTo(CostSource.COMPUTED);
    assertThat(cost.pricedAs()).isEqualTo("openai/gpt-4o");
  }

  private Cost reported(String provider, String model, Usage usage, BigDecimal reportedUsd) {
    return calculator.cost(
        new CostRequest(
            "p",
            true,
            provider,
            model,
            usage,
            false,
            reportedUsd,
            Times.noonUtc("2025-01-10"),
            ServiceTier.STANDARD));
  }

  @Test
  void unknownModel_isUnpricedNotFree() {
    Cost cost = cost("acme", "acme-ultra-9", Usage.of(1000, 1000), "2025-01-10");

    assertThat(cost.source()).isEqualTo(CostSource.UNKNOWN);
    assertThat(cost.amountUsd()).isNull();
    assertThat(cost.detail()).contains("acme-ultra-9");
  }

  @Test
  void modelCallWithoutUsage_isUnknown_otherSpansBearNone() {
    assertThat(cost("openai", "gpt-4o", Usage.NONE, "2025-01-10").source())
        .isEqualTo(CostSource.UNKNOWN);
    Cost tool =
        calculator.cost(
            new CostRequest("p", false, "", "", Usage.NONE, false, null, 1L, ServiceTier.STANDARD));
    assertThat(tool).isEqualTo(Cost.NONE);
  }

  @Test
  void estimatedUsage_isMarkedEstimated() {
    Cost cost =
        calculator.cost(
            new CostRequest(
                "p",
                true,
                "openai",
                "gpt-4o",
                Usage.of(4, 2),
                true,
                null,
                Times.noonUtc("2025-01-10"),
                ServiceTier.STANDARD));

    assertThat(cost.source()).isEqualTo(CostSource.ESTIMATED);
    assertThat(cost.amountUsd()).isEqualTo(usd("0.00003")); // 4 × 2.5 + 2 × 10 = 30 per million
  }

  @Test
  void embeddings_billInputOnly() {
    Cost cost =
        calculator.cost(
            new CostRequest(
                "p",
                true,
                "openai",
                "text-embedding-3-small",
                Usage.of(50_000, 0),
                false,
                null,
                Times.noonUtc("2025-01-10"),
                ServiceTier.STANDARD));

    assertThat(cost.amountUsd()).isEqualTo(usd("0.001")); // 50000 × 0.02 = 1000 per million
  }
}
