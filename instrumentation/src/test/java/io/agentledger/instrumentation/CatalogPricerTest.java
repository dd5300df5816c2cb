package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.ContextTier;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.ModelKind;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.PriceMatch;
import io.agentledger.core.pricing.PricePeriod;
import io.agentledger.core.pricing.PriceRates;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.span.DecimalBounds;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The compiled integer rates give exactly core's BigDecimal (value and scale), model by model. */
class CatalogPricerTest {

  private static final long DAY_NANOS = 86_400_000_000_000L;

  @Test
  void everyBundledModel_isPricedExactlyAsCorePricesIt() {
    PriceCatalog catalog = PriceCatalog.bundled();
    CatalogPricer pricer = new CatalogPricer(catalog);
    SplittableRandom random = new SplittableRandom(18);
    int compared = 0;
    int tiered = 0;
    for (ModelPricing model : catalog.models()) {
      // What the catalog prices this provider and name at (an alias may lead elsewhere).
      ModelPricing priced =
          catalog.match(model.provider(), model.model()).map(PriceMatch::pricing).orElseThrow();
      for (long start : startsAround(priced)) {
        for (Usage usage : usages(random, priced)) {
          BigDecimal expected = corePrice(priced, usage, start);
          BigDecimal actual = pricer.price(model.provider(), model.model(), usage, start);
          assertThat(actual)
              .as("%s/%s %s at %s", model.provider(), model.model(), usage, start)
              .isEqualTo(expected); // BigDecimal.equals: the same value and the same scale
          compared++;
        }
      }
      if (model.periods().stream().anyMatch(p -> !p.tiers().isEmpty())) {
        tiered++;
      }
    }
    assertThat(compared).isGreaterThan(10_000);
    assertThat(tiered).as("bundled models with long-context prices").isPositive();
  }

  @Test
  void ratesBeyondALong_andOddScales_fallBackToCoreWithTheSameResult() {
    LocalDate first = LocalDate.of(2025, 1, 1);
    LocalDate second = LocalDate.of(2026, 3, 1);
    PriceRates huge =
        new PriceRates(
            new BigDecimal("999999.999999999999999999"),
            new BigDecimal("123456.000000000000000001"),
            null,
            null,
            null,
            new BigDecimal("0.000000000000000001"));
    PriceRates fine =
        new PriceRates(
            new BigDecimal("0.000000000000003"),
            new BigDecimal("10"),
            new BigDecimal("0.3"),
            new BigDecimal("3.75"),
            new BigDecimal("6"),
            null);
    ModelPricing model =
        new ModelPricing(
            "acme",
            "odd-1",
            ModelKind.CHAT,
            List.of(),
            List.of(
                new PricePeriod(
                    first,
                    fine,
                    List.of(
                        new ContextTier(
                            200_000,
                            new PriceRates.PartialRates(
                                new BigDecimal("6"), null, null, null, null, null))),
                    Map.of()),
                PricePeriod.of(second, huge)));
    PriceCatalog catalog = PriceCatalog.of("test", List.of(model));
    CatalogPricer pricer = new CatalogPricer(catalog);
    SplittableRandom random = new SplittableRandom(7);
    for (long start : startsAround(model)) {
      for (Usage usage : usages(random, model)) {
        assertThat(pricer.price("acme", "odd-1", usage, start))
            .as("%s at %s", usage, start)
            .isEqualTo(corePrice(model, usage, start));
      }
      Usage enormous = new Usage(true, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, 0, 0, 0, 0);
      assertThat(pricer.price("acme", "odd-1", enormous, start))
          .isEqualTo(corePrice(model, enormous, start));
    }
    assertThat(pricer.price("acme", "odd-1", Usage.of(0, 0), 0)).isEqualTo(BigDecimal.ZERO);
    assertThat(pricer.price("acme", "no-such-model", Usage.of(10, 10), 0)).isNull();
    assertThat(pricer.price("acme", "odd-1", Usage.NONE, 0)).isNull();
  }

  /** The day before each period starts, its first nanosecond, and the last one of its first day. */
  private static List<Long> startsAround(ModelPricing model) {
    List<Long> starts = new ArrayList<>();
    for (PricePeriod p : model.periods()) {
      long from = p.effectiveFrom().toEpochDay() * DAY_NANOS;
      starts.add(from - 1);
      starts.add(from);
      starts.add(from + DAY_NANOS - 1);
    }
    starts.add(Instant.parse("2026-11-30T12:00:00Z").toEpochMilli() * 1_000_000);
    return starts;
  }

  private static List<Usage> usages(SplittableRandom random, ModelPricing model) {
    List<Usage> usages = new ArrayList<>();
    usages.add(Usage.of(0, 0));
    usages.add(Usage.of(1, 0));
    usages.add(Usage.of(0, 1));
    usages.add(Usage.of(1_000, 100, 200, 0, 0));
    usages.add(new Usage(true, 1_000, 500, 100, 300, 100, 200));
    for (PricePeriod p : model.periods()) {
      for (ContextTier t : p.tiers()) {
        usages.add(Usage.of(t.aboveInputTokens(), 10));
        usages.add(Usage.of(t.aboveInputTokens() + 1, 10, 5, 3, 2));
      }
    }
    for (int i = 0; i < 20; i++) {
      long input = random.nextLong(0, 3_000_000);
      long cacheRead = random.nextLong(0, input + 1);
      long cacheWrite = random.nextLong(0, input - cacheRead + 1);
      long cacheWrite1h = random.nextLong(0, cacheWrite + 1);
      long output = random.nextLong(0, 200_000);
      long reasoning = random.nextLong(0, output + 1);
      usages.add(new Usage(true, input, output, cacheRead, cacheWrite, cacheWrite1h, reasoning));
    }
    return usages;
  }

  /** What the library priced with before: core's calculator, trailing zeros stripped. */
  private static @Nullable BigDecimal corePrice(ModelPricing model, Usage usage, long start) {
    LocalDate day = Instant.ofEpochSecond(0, start).atZone(ZoneOffset.UTC).toLocalDate();
    BigDecimal amount =
        CostCalculator.price(model.periodAt(day), usage, ServiceTier.STANDARD, new StringBuilder());
    return DecimalBounds.isStorableCost(amount) ? amount.stripTrailingZeros() : null;
  }
}
