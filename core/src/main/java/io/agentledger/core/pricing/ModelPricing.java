package io.agentledger.core.pricing;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The dated prices of one model under one provider.
 *
 * @param provider normalized provider name ({@code openai}, {@code aws.bedrock}, ...)
 * @param model the canonical model id as the provider's API spells it
 * @param aliases other exact ids with the same prices (dated snapshots, {@code -latest} names)
 * @param periods price periods, any order (kept sorted by date)
 */
public record ModelPricing(
    String provider,
    String model,
    ModelKind kind,
    List<String> aliases,
    List<PricePeriod> periods) {

  public ModelPricing {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(kind, "kind");
    provider = provider.toLowerCase(Locale.ROOT);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    if (periods == null || periods.isEmpty()) {
      throw new IllegalArgumentException(provider + "/" + model + ": at least one price period");
    }
    periods = periods.stream().sorted(Comparator.comparing(PricePeriod::effectiveFrom)).toList();
    for (int i = 1; i < periods.size(); i++) {
      if (periods.get(i).effectiveFrom().equals(periods.get(i - 1).effectiveFrom())) {
        throw new IllegalArgumentException(
            provider + "/" + model + ": two prices effective " + periods.get(i).effectiveFrom());
      }
    }
  }

  /** {@code provider/model}: how a cost says which entry priced it. */
  public String id() {
    return provider + "/" + model;
  }

  /**
   * The period in force on the given UTC date; the earliest period for dates before it (a span
   * older than our oldest known price is priced with the oldest price rather than not at all).
   */
  public PricePeriod periodAt(LocalDate date) {
    PricePeriod chosen = periods.get(0);
    for (PricePeriod period : periods) {
      if (!period.effectiveFrom().isAfter(date)) {
        chosen = period;
      }
    }
    return chosen;
  }

  /** This entry in the catalog's JSON format (one element of {@code models}). */
  public String toJson() {
    return CatalogJson.writeModel(this);
  }

  /** Reads one entry written by {@link #toJson()} (or taken from a catalog file). */
  public static ModelPricing fromJson(String json) {
    try {
      return CatalogJson.readModel(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("price entry is not valid JSON: " + e.getMessage(), e);
    }
  }
}
