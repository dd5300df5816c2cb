package io.agentledger.collector.ingest;

import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.PriceOverrides;
import io.agentledger.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog each project's spans are priced with: the bundled one with the project's overrides on
 * top, re-read after {@code refresh} so a {@code PUT /prices/...} applies to spans arriving shortly
 * after (spans already stored keep the price they were stored with).
 */
public final class ProjectCatalogs implements Function<String, PriceCatalog> {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectCatalogs.class);

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

  /**
   * The project's catalog. When its overrides cannot be read, a transient failure keeps the last
   * catalog read (or, with none, is thrown: the consumer reads the record again later, it never
   * dead-letters it); overrides that can never be read (a stored price out of bounds) are skipped
   * with an error logged once per refresh, and the bundled prices apply.
   */
  @Override
  public PriceCatalog apply(String project) {
    Instant now = clock.instant();
    Cached cached = cache.get(project);
    if (cached == null || cached.readAt().plus(refresh).isBefore(now)) {
      PriceCatalog catalog;
      try {
        catalog = base.withOverrides(store.priceOverrides(project));
      } catch (StoreException e) {
        if (!e.retryable()) {
          LOG.error("price overrides of project {} unreadable, bundled prices apply", project, e);
          catalog = base;
        } else if (cached != null) {
          LOG.warn("price overrides of project {} not refreshed: {}", project, e.getMessage());
          catalog = cached.catalog();
        } else {
          throw e;
        }
      } catch (IllegalArgumentException e) {
        LOG.error("price overrides of project {} invalid, bundled prices apply", project, e);
        catalog = base;
      }
      cached = new Cached(catalog, now);
      cache.put(project, cached);
    }
    return cached.catalog();
  }
}
