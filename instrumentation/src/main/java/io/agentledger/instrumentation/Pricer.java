package io.agentledger.instrumentation;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.CostRequest;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** Prices a model call the way the collector will: core's calculator over a price catalog. */
@FunctionalInterface
interface Pricer {

  /** Returns the price in USD, or null when the catalog does not price the model. */
  @Nullable BigDecimal price(String provider, String model, Usage usage, long startEpochNanos);

  static Pricer of(PriceCatalog catalog) {
    CostCalculator calculator = new CostCalculator(catalog);
    return (provider, model, usage, start) -> {
      Cost cost =
          calculator.cost(
              new CostRequest(
                  "local", true, provider, model, usage, false, null, start, ServiceTier.STANDARD));
      return cost.amountUsd();
    };
  }
}
