package io.agentledger.collector.ingest;

import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.store.PriceOverrides;
import io.agentledger.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog each project's spans are priced with: the bundled one with the project's overrides on
 * top, and the project's tool and sandbox prices; re-read after {@code refresh} so a {@code PUT
 * /prices/...} applies to spans arriving shortly after (spans already stored keep the price they
 * were stored with).
 */
public final class ProjectCatalogs implements Function<String, PriceCatalog> {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectCatalogs.class);

  private record Cached(PriceCatalog catalog, ToolPrices tools, Instant readAt) {}

  private final PriceCatalog base;
  private final PriceOverrides store;
  private final Function<String, List<ToolPrice>> toolPrices;
  private final Clock clock;
  private final Duration refresh;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** Model prices only: no project has tool prices. */
  public ProjectCatalogs(PriceCatalog base, PriceOverrides store, Clock clock, Duration refresh) {
    this(base, store, project -> List.of(), clock, refresh);
  }

  /**
   * @param toolPrices a project's tool prices ({@code ToolPriceStore::toolPrices})
   */
  public ProjectCatalogs(
      PriceCatalog base,
      PriceOverrides store,
      Function<String, List<ToolPrice>> toolPrices,
      Clock clock,
      Duration refresh) {
    this.base = base;
    this.store = store;
    this.toolPrices = toolPrices;
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
    return current(project).catalog();
  }

  /** The project's tool and sandbox prices, read and kept like its catalog. */
  public ToolPrices toolPrices(String project) {
    return current(project).tools();
  }

  private Cached current(String project) {
    Instant now = clock.instant();
    Cached cached = cache.get(project);
    if (cached == null || cached.readAt().plus(refresh).isBefore(now)) {
      cached = new Cached(readCatalog(project, cached), readTools(project, cached), now);
      cache.put(project, cached);
    }
    return cached;
  }

  private PriceCatalog readCatalog(String project, @Nullable Cached cached) {
    try {
      return base.withOverrides(store.priceOverrides(project));
    } catch (StoreException e) {
      if (!e.retryable()) {
        LOG.error("price overrides of project {} unreadable, bundled prices apply", project, e);
        return base;
      } else if (cached != null) {
        LOG.warn("price overrides of project {} not refreshed: {}", project, e.getMessage());
        return cached.catalog();
      }
      throw e;
    } catch (IllegalArgumentException e) {
      LOG.error("price overrides of project {} invalid, bundled prices apply", project, e);
      return base;
    }
  }

  /** Like the catalog: a transient failure keeps the last prices read, a lasting one none. */
  private ToolPrices readTools(String project, @Nullable Cached cached) {
    try {
      return ToolPrices.of(toolPrices.apply(project));
    } catch (StoreException e) {
      if (!e.retryable()) {
        LOG.error("tool prices of project {} unreadable, tools are not priced", project, e);
        return ToolPrices.NONE;
      } else if (cached != null) {
        LOG.warn("tool prices of project {} not refreshed: {}", project, e.getMessage());
        return cached.tools();
      }
      throw e;
    }
  }
}
