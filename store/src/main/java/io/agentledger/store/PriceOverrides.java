package io.agentledger.store;

import io.agentledger.core.pricing.ModelPricing;
import java.util.List;

/** A project's own prices, which replace the bundled catalog's for its models. */
public interface PriceOverrides {

  /**
   * Inserts or replaces a project's price override (by provider and model).
   *
   * @param project the project (tenant)
   * @param pricing the override
   */
  void savePriceOverride(String project, ModelPricing pricing);

  /**
   * A project's price overrides, ordered by provider and model.
   *
   * @param project the project (tenant)
   * @return the overrides
   */
  List<ModelPricing> priceOverrides(String project);
}
