package io.agentledger.core.decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A range of a decision tree's nodes (depth first) with the edges that enter them: what a store
 * returns for a large tree, one page at a time.
 *
 * @param traceId the chain
 * @param nodes the page's nodes, by {@code seq}
 * @param edges the edges whose target is on this page
 * @param totalNodes how many nodes the whole tree has
 * @param nextCursor pass back to read the next page; empty on the last page
 */
public record DecisionTreePage(
    String traceId,
    List<DecisionNode> nodes,
    List<DecisionEdge> edges,
    int totalNodes,
    Optional<String> nextCursor) {

  /** Nodes on a page when the caller does not say. */
  public static final int DEFAULT_LIMIT = 500;

  /**
   * The most nodes on one page: a page is one indexed range read, and DuckDB uses its index only
   * for ranges of at most 2,048 rows.
   */
  public static final int MAX_LIMIT = 2000;

  private static final String CURSOR_PREFIX = "n";

  public DecisionTreePage {
    Objects.requireNonNull(traceId, "traceId");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
  }

  DecisionTreePage(
      String traceId,
      List<DecisionNode> nodes,
      List<DecisionEdge> edges,
      int totalNodes,
      @Nullable String nextCursor) {
    this(traceId, nodes, edges, totalNodes, Optional.ofNullable(nextCursor));
  }

  /**
   * The cursor of the page that starts after the node numbered {@code seq}.
   *
   * @param seq the last node's {@code seq}
   * @return an opaque cursor
   */
  public static String cursorAfter(int seq) {
    return CURSOR_PREFIX + Integer.toString(seq, 36);
  }

  /**
   * The {@code seq} a cursor continues after; -1 for no cursor (the first page).
   *
   * @param cursor a cursor from {@link #nextCursor}, or null or blank
   * @return the last seen node's {@code seq}
   * @throws IllegalArgumentException when the cursor was not made by {@link #cursorAfter}
   */
  public static int afterSeq(@Nullable String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return -1;
    }
    if (!cursor.startsWith(CURSOR_PREFIX)) {
      throw new IllegalArgumentException("not a decision-tree cursor");
    }
    try {
      int seq = Integer.parseInt(cursor.substring(CURSOR_PREFIX.length()), 36);
      if (seq < 0) {
        throw new IllegalArgumentException("not a decision-tree cursor");
      }
      return seq;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decision-tree cursor", e);
    }
  }
}
