package io.agentledger.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param nextCursor opaque; pass it back to get the next page; empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  /** Copies the items. */
  public Page {
    items = List.copyOf(items);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
  }
}
