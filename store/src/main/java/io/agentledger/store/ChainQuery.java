package io.agentledger.store;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters and order for listing chains. Empty strings and empty optionals do not filter.
 *
 * @param range chains whose start lies in this range; required
 * @param service chains whose service equals this; null or empty for any
 * @param agent chains whose {@code ChainSummary.agent} equals this; null or empty for any
 * @param sessionId chains of this session (conversation); null or empty for any
 * @param userId chains of this user; null or empty for any
 * @param workflowId chains of this workflow run (Temporal, Inngest, LangGraph thread); null or
 *     empty for any
 * @param minCostUsd chains costing at least this much, in USD; null or empty for any
 * @param order the sort order; null for {@link Order#START}
 * @param limit page size, 1 to {@link #MAX_LIMIT}
 * @param cursor from the previous page's {@link Page#nextCursor()}; null or empty for the first
 *     page
 */
public record ChainQuery(
    TimeRange range,
    String service,
    String agent,
    String sessionId,
    String userId,
    String workflowId,
    Optional<BigDecimal> minCostUsd,
    Order order,
    int limit,
    Optional<String> cursor) {

  /** The page size when the client asks for none. */
  public static final int DEFAULT_LIMIT = 50;

  /** The largest page size a client may ask for. */
  public static final int MAX_LIMIT = 1000;

  /** Newest first, or most expensive first. Ties are broken by trace id, so pages are stable. */
  public enum Order {
    /** Newest first. */
    START,
    /** Most expensive first. */
    COST
  }

  /**
   * Fills absent filters with their defaults and checks the limit.
   *
   * @param range chains whose start lies in this range; required
   * @param service chains whose service equals this; null or empty for any
   * @param agent chains whose {@code ChainSummary.agent} equals this; null or empty for any
   * @param sessionId chains of this session (conversation); null or empty for any
   * @param userId chains of this user; null or empty for any
   * @param workflowId chains of this workflow run; null or empty for any
   * @param minCostUsd chains costing at least this much, in USD; null or empty for any
   * @param order the sort order; null for {@link Order#START}
   * @param limit page size, 1 to {@link #MAX_LIMIT}
   * @param cursor from the previous page's {@link Page#nextCursor()}; null or empty for the first
   *     page
   */
  public ChainQuery {
    Objects.requireNonNull(range, "range");
    service = service == null ? "" : service;
    agent = agent == null ? "" : agent;
    sessionId = sessionId == null ? "" : sessionId;
    userId = userId == null ? "" : userId;
    workflowId = workflowId == null ? "" : workflowId;
    minCostUsd = minCostUsd == null ? Optional.empty() : minCostUsd;
    order = order == null ? Order.START : order;
    cursor = cursor == null ? Optional.empty() : cursor;
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  /**
   * A query without a workflow filter.
   *
   * @param range chains whose start lies in this range; required
   * @param service chains whose service equals this; null or empty for any
   * @param agent chains whose {@code ChainSummary.agent} equals this; null or empty for any
   * @param sessionId chains of this session (conversation); null or empty for any
   * @param userId chains of this user; null or empty for any
   * @param minCostUsd chains costing at least this much, in USD; null or empty for any
   * @param order the sort order; null for {@link Order#START}
   * @param limit page size, 1 to {@link #MAX_LIMIT}
   * @param cursor from the previous page's {@link Page#nextCursor()}; null or empty for the first
   *     page
   */
  public ChainQuery(
      TimeRange range,
      String service,
      String agent,
      String sessionId,
      String userId,
      Optional<BigDecimal> minCostUsd,
      Order order,
      int limit,
      Optional<String> cursor) {
    this(range, service, agent, sessionId, userId, "", minCostUsd, order, limit, cursor);
  }

  /**
   * This query restricted to the chains of one workflow run.
   *
   * @param id the workflow id; empty for any
   * @return the query
   */
  public ChainQuery withWorkflowId(String id) {
    return new ChainQuery(
        range, service, agent, sessionId, userId, id, minCostUsd, order, limit, cursor);
  }

  /**
   * All chains in the range, newest first, default page size.
   *
   * @param range the time range
   * @return the query
   */
  public static ChainQuery all(TimeRange range) {
    return new ChainQuery(
        range, "", "", "", "", Optional.empty(), Order.START, DEFAULT_LIMIT, Optional.empty());
  }

  /**
   * This query continuing at the cursor of a previous page.
   *
   * @param next the previous page's cursor
   * @return the query
   */
  public ChainQuery withCursor(String next) {
    return new ChainQuery(
        range,
        service,
        agent,
        sessionId,
        userId,
        workflowId,
        minCostUsd,
        order,
        limit,
        Optional.of(next));
  }

  /**
   * This query with another page size.
   *
   * @param newLimit the page size
   * @return the query
   */
  public ChainQuery withLimit(int newLimit) {
    return new ChainQuery(
        range, service, agent, sessionId, userId, workflowId, minCostUsd, order, newLimit, cursor);
  }
}
