package io.agentledger.store;

import io.agentledger.core.pricing.ToolPrice;
import java.util.List;

/** A project's tool and sandbox prices (non-LLM costs), set through the prices API. */
public interface ToolPriceStore {

  /**
   * Inserts or replaces a project's price for a tool (by tool name).
   *
   * @param project the project (tenant)
   * @param price the price
   */
  void saveToolPrice(String project, ToolPrice price);

  /**
   * A project's tool prices, ordered by tool name.
   *
   * @param project the project (tenant)
   * @return the prices
   */
  List<ToolPrice> toolPrices(String project);
}
