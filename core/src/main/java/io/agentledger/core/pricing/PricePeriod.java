package io.agentledger.core.pricing;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The prices of a model from {@code effectiveFrom} (UTC date, inclusive) until the next period.
 *
 * @param tiers context-length tiers, ordered by threshold
 * @param serviceTiers prices for non-standard service tiers
 */
public record PricePeriod(
    LocalDate effectiveFrom,
    PriceRates rates,
    List<ContextTier> tiers,
    Map<ServiceTier, PriceRates.PartialRates> serviceTiers) {

  public PricePeriod {
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    Objects.requireNonNull(rates, "rates");
    tiers =
        tiers == null
            ? List.of()
            : tiers.stream()
                .sorted(Comparator.comparingLong(ContextTier::aboveInputTokens))
                .toList();
    serviceTiers =
        serviceTiers == null || serviceTiers.isEmpty()
            ? Map.of()
            : Map.copyOf(new EnumMap<>(serviceTiers));
  }

  public static PricePeriod of(LocalDate effectiveFrom, PriceRates rates) {
    return new PricePeriod(effectiveFrom, rates, List.of(), Map.of());
  }

  /** The highest context tier whose threshold the input exceeds, if any. */
  @Nullable ContextTier tierFor(long inputTokens) {
    ContextTier chosen = null;
    for (ContextTier tier : tiers) {
      if (inputTokens > tier.aboveInputTokens()) {
        chosen = tier;
      }
    }
    return chosen;
  }
}
