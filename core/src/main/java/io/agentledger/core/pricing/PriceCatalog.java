package io.agentledger.core.pricing;

import io.agentledger.core.normalize.ProviderNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable set of model prices with the logic to find the entry for a reported model id.
 *
 * <p>Lookup order, first hit wins: project overrides, then the catalog; within each, the reported
 * provider's entries by exact id, alias, then normalized id (routing prefix, Bedrock version,
 * Vertex {@code @version}, date suffix removed; Bedrock region prefixes are kept, profiles have
 * entries of their own); then any provider's entry, preferring the model's vendor, matched as
 * {@link PriceMatch.How#OTHER_PROVIDER} — which {@link CostCalculator} uses only when no host was
 * said or the host bills the vendor's price.
 */
public final class PriceCatalog {

  private static final String BUNDLED = "catalog.json";
  private static final Set<String> VENDORS =
      Set.of("openai", "anthropic", "gcp.gemini", "mistral_ai", "deepseek", "x_ai");

  private final String version;
  private final List<ModelPricing> models;
  private final Map<String, Map<String, Entry>> byProvider;
  private final Map<String, List<Entry>> byId;
  private final @Nullable PriceCatalog overridden; // null unless this catalog is a set of overrides

  private record Entry(ModelPricing pricing, boolean alias) {}

  private PriceCatalog(
      String version, List<ModelPricing> models, @Nullable PriceCatalog overridden) {
    this.version = Objects.requireNonNull(version, "version");
    this.models = List.copyOf(models);
    this.overridden = overridden;
    Map<String, Map<String, Entry>> providers = new HashMap<>();
    Map<String, List<Entry>> ids = new HashMap<>();
    for (ModelPricing pricing : this.models) {
      Map<String, Entry> forProvider =
          providers.computeIfAbsent(pricing.provider(), p -> new HashMap<>());
      index(pricing, key(pricing.model()), false, forProvider, ids);
      for (String alias : pricing.aliases()) {
        index(pricing, key(alias), true, forProvider, ids);
      }
    }
    this.byProvider = providers;
    this.byId = ids;
  }

  private static void index(
      ModelPricing pricing,
      String id,
      boolean alias,
      Map<String, Entry> forProvider,
      Map<String, List<Entry>> ids) {
    Entry previous = forProvider.putIfAbsent(id, new Entry(pricing, alias));
    if (previous != null && previous.pricing() != pricing) {
      throw new IllegalArgumentException(
          "model id '" + id + "' names both " + previous.pricing().id() + " and " + pricing.id());
    }
    ids.computeIfAbsent(id, k -> new ArrayList<>()).add(new Entry(pricing, alias));
  }

  /** A catalog of the given entries. */
  public static PriceCatalog of(String version, List<ModelPricing> models) {
    return new PriceCatalog(version, models, null);
  }

  /** The catalog bundled with AgentLedger ({@code catalog.json} next to this class). */
  public static PriceCatalog bundled() {
    return BundledHolder.INSTANCE;
  }

  private static final class BundledHolder {
    static final PriceCatalog INSTANCE = load();

    private static PriceCatalog load() {
      try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException("bundled price catalog " + BUNDLED + " is missing");
        }
        return CatalogJson.read(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Reads a catalog in AgentLedger's own JSON format (the format of the bundled one). */
  public static PriceCatalog fromJson(InputStream in) throws IOException {
    return CatalogJson.read(in);
  }

  /**
   * This catalog with a project's overrides on top: an override's ids win over the catalog's, and
   * costs priced by an override say so ({@code override:provider/model}).
   */
  public PriceCatalog withOverrides(List<ModelPricing> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    return new PriceCatalog(version + "+overrides", overrides, this);
  }

  public String version() {
    return version;
  }

  /** Every entry, overrides first. */
  public List<ModelPricing> models() {
    if (overridden == null) {
      return models;
    }
    List<ModelPricing> all = new ArrayList<>(models);
    all.addAll(overridden.models());
    return List.copyOf(all);
  }

  /** Catalog entries that are not overrides. */
  public List<ModelPricing> catalogModels() {
    return overridden == null ? models : overridden.catalogModels();
  }

  /** Project override entries (empty for a plain catalog). */
  public List<ModelPricing> overrides() {
    return overridden == null ? List.of() : models;
  }

  /** The entry pricing this provider's model, if any. Provider may be empty. */
  public Optional<PriceMatch> match(String provider, String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    String normalizedProvider = ProviderNames.normalize(provider);
    ModelIds.Variants variants = ModelIds.of(model);
    PriceMatch found = matchHere(normalizedProvider, model, variants);
    if (overridden == null || (found != null && found.how() != PriceMatch.How.OTHER_PROVIDER)) {
      return Optional.ofNullable(found);
    }
    // An override reached only through another provider must not beat the catalog's own entry
    // for the reported provider.
    Optional<PriceMatch> catalog = overridden.match(provider, model);
    if (catalog.isPresent() && catalog.get().how() != PriceMatch.How.OTHER_PROVIDER) {
      return catalog;
    }
    return found != null ? Optional.of(found) : catalog;
  }

  private @Nullable PriceMatch matchHere(
      String provider, String requested, ModelIds.Variants variants) {
    boolean override = overridden != null;
    List<String> providers = new ArrayList<>(2);
    if (!provider.isEmpty()) {
      providers.add(provider);
    }
    if (!variants.providerHint().isEmpty() && !providers.contains(variants.providerHint())) {
      providers.add(variants.providerHint());
    }
    for (String p : providers) {
      Map<String, Entry> ids = byProvider.get(p);
      if (ids == null) {
        continue;
      }
      for (String id : variants.exact()) {
        Entry e = ids.get(id);
        if (e != null) {
          PriceMatch.How how =
              !p.equals(provider) && !provider.isEmpty()
                  ? PriceMatch.How.OTHER_PROVIDER
                  : e.alias() ? PriceMatch.How.ALIAS : PriceMatch.How.EXACT;
          return new PriceMatch(e.pricing(), requested, how, override);
        }
      }
      for (String id : variants.normalized()) {
        Entry e = ids.get(id);
        if (e != null) {
          PriceMatch.How how =
              !p.equals(provider) && !provider.isEmpty()
                  ? PriceMatch.How.OTHER_PROVIDER
                  : PriceMatch.How.NORMALIZED;
          return new PriceMatch(e.pricing(), requested, how, override);
        }
      }
    }
    for (List<String> ids : List.of(variants.exact(), variants.normalized())) {
      for (String id : ids) {
        List<Entry> entries = byId.get(id);
        if (entries != null) {
          Entry best = preferVendor(entries);
          PriceMatch.How how =
              provider.isEmpty()
                  ? (ids == variants.exact()
                      ? (best.alias() ? PriceMatch.How.ALIAS : PriceMatch.How.EXACT)
                      : PriceMatch.How.NORMALIZED)
                  : PriceMatch.How.OTHER_PROVIDER;
          return new PriceMatch(best.pricing(), requested, how, override);
        }
      }
    }
    return null;
  }

  private static Entry preferVendor(List<Entry> entries) {
    for (Entry e : entries) {
      if (VENDORS.contains(e.pricing().provider())) {
        return e;
      }
    }
    return entries.get(0);
  }

  private static String key(String id) {
    return id.trim().toLowerCase(Locale.ROOT);
  }

  /** Entries grouped by provider, for listing. */
  public Map<String, List<ModelPricing>> byProvider() {
    Map<String, List<ModelPricing>> out = new LinkedHashMap<>();
    for (ModelPricing m : models()) {
      out.computeIfAbsent(m.provider(), p -> new ArrayList<>()).add(m);
    }
    return out;
  }
}
