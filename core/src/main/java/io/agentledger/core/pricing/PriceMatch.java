package io.agentledger.core.pricing;

/**
 * Which catalog entry a model id matched, and how.
 *
 * @param requested the provider and model id the span reported
 * @param how how the id was matched
 * @param fromOverride true when the entry is a project override, not the shared catalog
 */
public record PriceMatch(ModelPricing pricing, String requested, How how, boolean fromOverride) {

  /** How a reported model id was matched to a catalog entry. */
  public enum How {
    /** The id is the entry's canonical model id. */
    EXACT,
    /** The id is one of the entry's aliases (a dated snapshot, a hosted id). */
    ALIAS,
    /**
     * The id matched after removing a routing prefix ({@code openai/}), a version suffix
     * ({@code @20250929}, {@code -v1:0}) or a date suffix. Bedrock region prefixes ({@code us.})
     * are never removed: inference profiles are priced by entries of their own.
     */
    NORMALIZED,
    /**
     * The id matched an entry of another provider: a hosted model (Bedrock, Vertex, Azure) with no
     * entry of its own, priced at its vendor's price, or a proxy reporting its own name.
     */
    OTHER_PROVIDER
  }

  /** {@code provider/model}, prefixed with {@code override:} for project overrides. */
  public String pricedAs() {
    return (fromOverride ? "override:" : "") + pricing.id();
  }

  /** A sentence for {@code Cost.detail}, empty for exact matches. */
  public String describe() {
    return switch (how) {
      case EXACT -> "";
      case ALIAS -> "'" + requested + "' is an alias of " + pricing.id();
      case NORMALIZED -> "'" + requested + "' matched " + pricing.id() + " after normalization";
      case OTHER_PROVIDER -> "'" + requested + "' priced as " + pricing.id();
    };
  }
}
