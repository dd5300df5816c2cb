package io.agentledger.store;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position after the last chain of a page, for keyset pagination: new chains arriving while a
 * client pages never make it skip or repeat one. Encoded opaquely; a cursor only fits the order it
 * came from.
 *
 * @param order the listing order the cursor belongs to
 * @param startEpochNanos the last chain's start (order START)
 * @param costUsd the last chain's cost (order COST), else zero
 * @param traceId the last chain's trace id, the tie-breaker
 */
public record ChainCursor(
    ChainQuery.Order order, long startEpochNanos, BigDecimal costUsd, String traceId) {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** Longer than any cursor {@link #encode()} makes. */
  private static final int MAX_LENGTH = 256;

  /** Largest cost a cursor may carry: the store keeps 26 integer and 12 decimal digits. */
  private static final BigDecimal MAX_COST = new BigDecimal("1e26");

  public String encode() {
    String plain =
        order == ChainQuery.Order.START
            ? "s1|" + startEpochNanos + "|" + traceId
            : "c1|" + costUsd.toPlainString() + "|" + traceId;
    return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a cursor made by {@link #encode()} for the given order.
   *
   * @throws IllegalArgumentException when it is not one, or belongs to another order
   */
  public static ChainCursor decode(String cursor, ChainQuery.Order expected) {
    if (cursor.isBlank() || cursor.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("not a cursor this API issued");
    }
    String plain;
    try {
      plain = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor this API issued");
    }
    String[] parts = plain.split("\\|", 3);
    if (parts.length != 3 || !isTraceId(parts[2])) {
      throw new IllegalArgumentException("not a cursor this API issued");
    }
    ChainQuery.Order order =
        switch (parts[0]) {
          case "s1" -> ChainQuery.Order.START;
          case "c1" -> ChainQuery.Order.COST;
          default -> throw new IllegalArgumentException("not a cursor this API issued");
        };
    if (order != expected) {
      throw new IllegalArgumentException(
          "the cursor belongs to order=" + order.name().toLowerCase(java.util.Locale.ROOT));
    }
    try {
      if (order == ChainQuery.Order.START) {
        return new ChainCursor(order, Long.parseLong(parts[1]), BigDecimal.ZERO, parts[2]);
      }
      BigDecimal cost = new BigDecimal(parts[1]);
      if (cost.signum() < 0 || cost.compareTo(MAX_COST) >= 0 || cost.scale() > 12) {
        throw new IllegalArgumentException("not a cursor this API issued");
      }
      return new ChainCursor(order, 0, cost, parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a cursor this API issued");
    }
  }

  /** Trace ids are hex in the API; the store's tests use short letter ids too. */
  private static boolean isTraceId(String s) {
    return !s.isEmpty()
        && s.length() <= 64
        && s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128);
  }
}
