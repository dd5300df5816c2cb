package io.agentledger.instrumentation;

import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** Prices a model call the way the collector will: core's calculator over a price catalog. */
@FunctionalInterface
interface Pricer {

  /** Returns the price in USD, or null when the catalog does not price the model. */
  @Nullable BigDecimal price(String provider, String model, Usage usage, long startEpochNanos);

  /**
   * The integer rates a call of this model with this many input tokens is priced at, so the caller
   * can price it as a long and make a {@code BigDecimal} only when the price is read; null when
   * only {@link #price} can say (an unpriced model, rates beyond a long, another pricer).
   */
  default CatalogPricer.@Nullable LongRates rates(
      String provider, String model, long inputTokens, long startEpochNanos) {
    return null;
  }

  /**
   * Core's price of each call over the catalog, with each model's prices compiled once into
   * per-token integer rates: an agent calls the same few models again and again, and the lookup
   * (model-name normalization) and {@code BigDecimal} arithmetic cost far more than the span.
   */
  static Pricer of(PriceCatalog catalog) {
    return new CatalogPricer(catalog);
  }
}
