package io.agentledger.store;

import io.agentledger.core.rollup.ChainSummary;
import java.util.List;
import java.util.Optional;

/**
 * Keyset pagination of chain listings, the same for every adapter: a listing reads one row more
 * than the page ({@link #lookAhead}) to learn whether another page follows, and the next cursor is
 * the last row's sort key, so chains arriving between pages never make a client skip or repeat one.
 */
public final class ChainPages {

  private ChainPages() {}

  /**
   * The position after which the query's page starts; empty for the first page.
   *
   * @param q the listing query
   * @return the decoded cursor, or empty when the query has none
   * @throws IllegalArgumentException when the cursor was not issued for the query's order
   */
  public static Optional<ChainCursor> after(ChainQuery q) {
    return q.cursor().map(c -> ChainCursor.decode(c, q.order()));
  }

  /**
   * How many rows a listing reads: one more than the page.
   *
   * @param q the listing query
   * @return the query's limit plus one
   */
  public static int lookAhead(ChainQuery q) {
    return q.limit() + 1;
  }

  /**
   * The page from rows read with {@link #lookAhead}, in the query's order.
   *
   * @param rows at most {@link #lookAhead} rows, in the query's order
   * @param q the listing query
   * @return the first {@code q.limit()} rows, with a next cursor when more rows were read
   */
  public static Page<ChainSummary> page(List<ChainSummary> rows, ChainQuery q) {
    if (rows.size() <= q.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    List<ChainSummary> page = rows.subList(0, q.limit());
    ChainSummary last = page.get(page.size() - 1);
    ChainCursor next =
        new ChainCursor(q.order(), last.startEpochNanos(), last.costUsd(), last.traceId());
    return new Page<>(page, Optional.of(next.encode()));
  }
}
