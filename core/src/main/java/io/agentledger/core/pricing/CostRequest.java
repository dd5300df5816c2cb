package io.agentledger.core.pricing;

import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the cost of one span depends on.
 *
 * @param project the project, whose price overrides apply
 * @param modelCall true for a call to a model (not a wrapper repeating one): without usage its cost
 *     is unknown, where any other span without usage simply bears none
 * @param provider normalized provider, may be empty
 * @param model the model id to price (response model when known), may be empty
 * @param usage the span's usage, {@link Usage#NONE} when it reported none
 * @param usageEstimated true when {@code usage} was counted from text, not reported
 * @param reportedCostUsd a cost the emitter reported, or null
 * @param startEpochNanos when the span started: prices in force then apply
 * @param serviceTier the service tier the request ran in
 */
public record CostRequest(
    String project,
    boolean modelCall,
    String provider,
    String model,
    Usage usage,
    boolean usageEstimated,
    @Nullable BigDecimal reportedCostUsd,
    long startEpochNanos,
    ServiceTier serviceTier) {

  public CostRequest {
    Objects.requireNonNull(project, "project");
    provider = provider == null ? "" : provider;
    model = model == null ? "" : model;
    usage = usage == null ? Usage.NONE : usage;
    serviceTier = serviceTier == null ? ServiceTier.STANDARD : serviceTier;
  }
}
