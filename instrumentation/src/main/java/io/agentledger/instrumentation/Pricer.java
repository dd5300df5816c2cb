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
   * The model's prices compiled into integer rates, so a call can be priced as a long and a {@code
   * BigDecimal} made only when its price is read; null when only {@link #price} can say (another
   * pricer).
   */
  default CatalogPricer.@Nullable Compiled compiled(String provider, String model) {
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
