package io.agentledger.instrumentation;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.PriceMatch;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.span.DecimalBounds;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Prices a model call the way the collector will: core's calculator over a price catalog. */
@FunctionalInterface
interface Pricer {

  /** Returns the price in USD, or null when the catalog does not price the model. */
  @Nullable BigDecimal price(String provider, String model, Usage usage, long startEpochNanos);

  /**
   * Core's price of each call, with the catalog's match of each provider and model looked up once:
   * the lookup (model-name normalization) costs far more than the arithmetic, and an agent calls
   * the same few models again and again.
   */
  static Pricer of(PriceCatalog catalog) {
    Map<String, Optional<PriceMatch>> matches = new ConcurrentHashMap<>();
    return (provider, model, usage, start) -> {
      if (model.isEmpty() || !usage.reported()) {
        return null;
      }
      if (matches.size() > 1_000) {
        matches.clear(); // a caller inventing model names must not grow it forever
      }
      Optional<PriceMatch> match =
          matches.computeIfAbsent(provider + "\n" + model, k -> catalog.match(provider, model));
      if (match.isEmpty()) {
        return null;
      }
      var day = Instant.ofEpochSecond(0, start).atZone(ZoneOffset.UTC).toLocalDate();
      BigDecimal amount =
          CostCalculator.price(
              match.get().pricing().periodAt(day),
              usage,
              ServiceTier.STANDARD,
              new StringBuilder());
      return DecimalBounds.isStorableCost(amount) ? amount.stripTrailingZeros() : null;
    };
  }
}
