package io.agentledger.collector.ingest;

import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.PriceOverrides;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The catalog each project's spans are priced with: the bundled one with the project's overrides on
 * top, re-read after {@code refresh} so a {@code PUT /prices/...} applies to spans arriving shortly
 * after (spans already stored keep the price they were stored with).
 */
public final class ProjectCatalogs implements Function<String, PriceCatalog> {

  private record Cached(PriceCatalog catalog, Instant readAt) {}

  private final PriceCatalog base;
  private final PriceOverrides store;
  private final Clock clock;
  private final Duration refresh;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ProjectCatalogs(PriceCatalog base, PriceOverrides store, Clock clock, Duration refresh) {
    this.base = base;
    this.store = store;
    this.clock = clock;
    this.refresh = refresh;
  }

  @Override
  public PriceCatalog apply(String project) {
    Instant now = clock.instant();
    Cached cached = cache.get(project);
    if (cached == null || cached.readAt().plus(refresh).isBefore(now)) {
      cached = new Cached(base.withOverrides(store.priceOverrides(project)), now);
      cache.put(project, cached);
    }
    return cached.catalog();
  }
}
