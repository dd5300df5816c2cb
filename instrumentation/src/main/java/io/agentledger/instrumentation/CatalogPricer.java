package io.agentledger.instrumentation;

import io.agentledger.core.pricing.ContextTier;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.PricePeriod;
import io.agentledger.core.pricing.PriceRates;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.span.DecimalBounds;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Core's price of a call ({@link CostCalculator#price} at the standard service tier, trailing zeros
 * stripped), computed on the agent's thread without {@link BigDecimal} arithmetic: each model's
 * price periods are compiled once into per-token rates as integers at one decimal scale, so a call
 * costs six long multiplications and the stripping of a long. The result is the same {@link
 * BigDecimal} (value and scale) core computes; a rate or a product that does not fit a long is
 * priced by core itself.
 */
final class CatalogPricer implements Pricer {

  /** Most models remembered; a caller inventing model names must not grow the cache forever. */
  private static final int MAX_MODELS = 1_000;

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private final PriceCatalog catalog;
  // provider → model → compiled prices (no string concatenation per call)
  private final Map<String, Map<String, Compiled>> byProvider = new ConcurrentHashMap<>();
  private final AtomicInteger models = new AtomicInteger();

  CatalogPricer(PriceCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public @Nullable BigDecimal price(String provider, String model, Usage usage, long start) {
    if (model.isEmpty() || !usage.reported()) {
      return null;
    }
    Compiled compiled = lookup(provider, model);
    return compiled == Compiled.UNPRICED ? null : compiled.price(usage, start);
  }

  @Override
  public Compiled compiled(String provider, String model) {
    return model.isEmpty() ? Compiled.UNPRICED : lookup(provider, model);
  }

  private Compiled lookup(String provider, String model) {
    Map<String, Compiled> forProvider = byProvider.get(provider);
    Compiled compiled = forProvider == null ? null : forProvider.get(model);
    if (compiled != null) {
      return compiled;
    }
    if (models.get() >= MAX_MODELS) {
      byProvider.clear();
      models.set(0);
    }
    compiled = catalog.match(provider, model).map(m -> new Compiled(m.pricing())).orElse(null);
    if (compiled == null) {
      compiled = Compiled.UNPRICED;
    }
    Compiled raced =
        byProvider
            .computeIfAbsent(provider, p -> new ConcurrentHashMap<>())
            .putIfAbsent(model, compiled);
    if (raced == null) {
      models.incrementAndGet();
      return compiled;
    }
    return raced;
  }

  /** A model's price periods, each with its context tiers, compiled. */
  static final class Compiled {

    static final Compiled UNPRICED = new Compiled(null);

    private final long[] fromDay; // each period's first UTC day (epoch day), in catalog order
    private final CompiledPeriod[] periods;

    Compiled(@Nullable ModelPricing pricing) {
      List<PricePeriod> list = pricing == null ? List.of() : pricing.periods();
      this.fromDay = new long[list.size()];
      this.periods = new CompiledPeriod[list.size()];
      for (int i = 0; i < list.size(); i++) {
        fromDay[i] = list.get(i).effectiveFrom().toEpochDay();
        periods[i] = new CompiledPeriod(list.get(i));
      }
    }

    /** Whether the price depends on the call's day: more than one price period. */
    boolean pricedByDay() {
      return periods.length > 1;
    }

    /** Whether the catalog does not price the model. */
    boolean unpriced() {
      return this == UNPRICED;
    }

    /**
     * The integer rates of a call with this many input tokens starting then, or null when they do
     * not fit longs ({@link #price} then prices with core's arithmetic).
     */
    @Nullable LongRates rates(long inputTokens, long startEpochNanos) {
      return periods.length == 0 ? null : period(startEpochNanos).rates(inputTokens);
    }

    /** ModelPricing.periodAt: the last period (in catalog order) in force on the call's UTC day. */
    CompiledPeriod period(long startEpochNanos) {
      if (periods.length == 1) {
        return periods[0];
      }
      long day = Math.floorDiv(startEpochNanos, NANOS_PER_DAY);
      int chosen = 0;
      for (int i = 0; i < fromDay.length; i++) {
        if (fromDay[i] <= day) {
          chosen = i;
        }
      }
      return periods[chosen];
    }

    @Nullable BigDecimal price(Usage usage, long startEpochNanos) {
      CompiledPeriod period = period(startEpochNanos);
      BigDecimal amount = period.price(usage);
      if (amount == null) { // a rate or a product beyond a long: core's arithmetic
        amount = slowPrice(period.period, usage);
      }
      return DecimalBounds.isStorableCost(amount) ? amount : null;
    }

    private static BigDecimal slowPrice(PricePeriod period, Usage usage) {
      BigDecimal amount =
          CostCalculator.price(period, usage, ServiceTier.STANDARD, new StringBuilder());
      return DecimalBounds.isStorableCost(amount) ? amount.stripTrailingZeros() : amount;
    }
  }

  /** One price period: its base rates and those above each context threshold. */
  private static final class CompiledPeriod {

    final PricePeriod period;
    private final @Nullable LongRates base;
    private final long[] above; // context thresholds, ascending (as PricePeriod keeps them)
    private final @Nullable LongRates[] tiers;

    CompiledPeriod(PricePeriod period) {
      this.period = period;
      this.base = LongRates.of(period.rates());
      List<ContextTier> list = period.tiers();
      this.above = new long[list.size()];
      this.tiers = new LongRates[list.size()];
      for (int i = 0; i < list.size(); i++) {
        above[i] = list.get(i).aboveInputTokens();
        tiers[i] = LongRates.of(period.rates().overlay(list.get(i).rates()));
      }
    }

    /** The price, or null when it does not fit longs (then core's arithmetic prices it). */
    @Nullable BigDecimal price(Usage usage) {
      LongRates rates = rates(usage.inputTokens());
      return rates == null ? null : rates.price(usage);
    }

    /** PricePeriod.tierFor: the highest tier whose threshold the input exceeds. */
    @Nullable LongRates rates(long inputTokens) {
      LongRates rates = base;
      for (int i = 0; i < above.length; i++) {
        if (inputTokens > above[i]) {
          rates = tiers[i];
        }
      }
      return rates;
    }
  }

  /**
   * Rates per million tokens as unscaled longs at one scale: {@code rate = unscaled × 10^-scale},
   * exactly (the catalog's prices have few significant digits).
   */
  record LongRates(
      long input,
      long cacheRead,
      long cacheWrite5m,
      long cacheWrite1h,
      long output,
      long reasoning,
      int scale) {

    /** The rates as longs, or null when one of them does not fit. */
    static @Nullable LongRates of(PriceRates rates) {
      BigDecimal[] r = {
        rates.input(),
        rates.cacheReadOrInput(),
        rates.cacheWrite5mOrInput(),
        rates.cacheWrite1hOrShorter(),
        rates.outputOrZero(),
        rates.reasoningOrOutput()
      };
      int scale = 0;
      for (int i = 0; i < r.length; i++) {
        r[i] = r[i].stripTrailingZeros();
        scale = Math.max(scale, r[i].scale());
      }
      long[] unscaled = new long[r.length];
      try {
        for (int i = 0; i < r.length; i++) {
          unscaled[i] = r[i].setScale(scale).unscaledValue().longValueExact();
        }
      } catch (ArithmeticException e) {
        return null;
      }
      return new LongRates(
          unscaled[0], unscaled[1], unscaled[2], unscaled[3], unscaled[4], unscaled[5], scale);
    }

    /**
     * {@link CostCalculator#price} of the usage with trailing zeros stripped, or null when a
     * product or the sum overflows a long.
     */
    @Nullable BigDecimal price(Usage usage) {
      long cacheWrite1hTokens = usage.cacheWrite1hTokens();
      long reasoningTokens = usage.reasoningTokens();
      long sum =
          unscaled(
              usage.uncachedInputTokens(),
              usage.cacheReadTokens(),
              usage.cacheWriteTokens() - cacheWrite1hTokens,
              cacheWrite1hTokens,
              usage.outputTokens() - reasoningTokens,
              reasoningTokens);
      if (sum < 0) {
        return null;
      }
      if (sum == 0) {
        return BigDecimal.ZERO; // what stripTrailingZeros gives for any zero
      }
      int s = scale + 6; // per million tokens
      while (sum % 10 == 0) {
        sum /= 10;
        s--;
      }
      return BigDecimal.valueOf(sum, s);
    }

    /**
     * The price of these token counts (each counted once: input without the cache, output without
     * reasoning) as {@code result × 10^-}{@link #priceScale()}, or -1 when it overflows a long.
     * Without trailing zeros stripped, so no division per call; the price is linear in the counts.
     */
    long unscaled(
        long uncachedInput,
        long cacheReadTokens,
        long cacheWrite5mTokens,
        long cacheWrite1hTokens,
        long outputTokens,
        long reasoningTokens) {
      try {
        long sum = Math.multiplyExact(input, uncachedInput);
        sum = Math.addExact(sum, Math.multiplyExact(cacheRead, cacheReadTokens));
        sum = Math.addExact(sum, Math.multiplyExact(cacheWrite5m, cacheWrite5mTokens));
        sum = Math.addExact(sum, Math.multiplyExact(cacheWrite1h, cacheWrite1hTokens));
        sum = Math.addExact(sum, Math.multiplyExact(output, outputTokens));
        return Math.addExact(sum, Math.multiplyExact(reasoning, reasoningTokens));
      } catch (ArithmeticException e) {
        return -1;
      }
    }

    /** The decimal scale of {@link #unscaled}'s result (the rates are per million tokens). */
    int priceScale() {
      return scale + 6;
    }

    /**
     * {@link DecimalBounds#isStorableCost} of {@code unscaled × 10^-priceScale()}, without making
     * the BigDecimal: at most {@link DecimalBounds#MAX_COST_USD}.
     */
    boolean isStorable(long unscaled) {
      int digits = 9 + priceScale(); // MAX_COST_USD = 10^digits units
      return digits >= 19 || unscaled <= POW10[digits];
    }

    /** A non-zero price stripped of its trailing zeros: the BigDecimal core's arithmetic gives. */
    BigDecimal toBigDecimal(long unscaled) {
      if (unscaled == 0) {
        return BigDecimal.ZERO; // what stripTrailingZeros gives for any zero
      }
      return BigDecimal.valueOf(unscaled, priceScale()).stripTrailingZeros();
    }
  }

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }
}
