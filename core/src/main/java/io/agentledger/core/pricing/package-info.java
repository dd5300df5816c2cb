/**
 * Prices and the cost of a model call.
 *
 * <p>{@link io.agentledger.core.pricing.PriceCatalog} holds dated prices per model (the bundled
 * catalog, a LiteLLM price file, project overrides); {@link
 * io.agentledger.core.pricing.CostCalculator} turns a span's usage into dollars with the rules that
 * competitors get wrong: cached input priced apart from fresh input, cache writes at their own
 * (five-minute or one-hour) price, reasoning inside output, context-length tiers, service tiers,
 * the price in force at the span's start, reported costs preferred, unknown models never priced at
 * zero.
 */
@NullMarked
package io.agentledger.core.pricing;

import org.jspecify.annotations.NullMarked;
