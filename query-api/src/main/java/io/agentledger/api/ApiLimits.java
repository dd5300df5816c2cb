package io.agentledger.api;

import io.agentledger.core.limits.TenantLimiter;
import java.time.Duration;

/**
 * The query API's limits on clients and on the size of answers. Documented in {@code
 * docs/security.md}.
 *
 * @param perProject per-project concurrency and request rate: 429 with {@code Retry-After} above
 * @param maxChainSpans most spans in the tree of {@code GET /chains/{traceId}}; larger trees are
 *     cut breadth first and marked ({@code treeTruncated}, {@code omittedChildren})
 * @param maxCostCells most groups × time buckets in one {@code GET /costs} answer: 400 above
 * @param maxPriceOverrides most price overrides one project may hold: 409 above
 * @param idleTimeout longest a request may wait for the next byte (Jetty's stream idle timeout)
 * @param warningInterval one log line per kind of error per interval
 */
public record ApiLimits(
    TenantLimiter.Limits perProject,
    int maxChainSpans,
    int maxCostCells,
    int maxPriceOverrides,
    Duration idleTimeout,
    Duration warningInterval) {

  public static ApiLimits defaults() {
    return new ApiLimits(
        new TenantLimiter.Limits(16, 50, 100),
        5_000,
        20_000,
        1_000,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30));
  }
}
