package io.agentledger.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param <T> the type of the listed items
 * @param items the page's items, in the listing's order
 * @param nextCursor opaque; pass it back to get the next page; empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  /**
   * Copies the items.
   *
   * @param items the page's items, in the listing's order
   * @param nextCursor opaque; pass it back to get the next page; empty on the last page
   */
  public Page {
    items = List.copyOf(items);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
  }
}
