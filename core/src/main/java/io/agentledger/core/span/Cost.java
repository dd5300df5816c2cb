package io.agentledger.core.span;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The cost of one span in US dollars, and where the number came from.
 *
 * @param amountUsd exact dollars; {@code null} exactly when the source is {@link
 *     CostSource#UNKNOWN} (an unknown cost is never silently zero), zero for {@link
 *     CostSource#NONE}
 * @param source how the amount was obtained
 * @param pricedAs the catalog entry used ({@code provider/model}), or null when no entry was used
 * @param catalogVersion the version of the price catalog used, or null when none was used
 * @param detail a short human-readable explanation: the tier applied, the unknown model's name, why
 *     a reported cost was overruled; may be empty
 */
public record Cost(
    BigDecimal amountUsd,
    CostSource source,
    String pricedAs,
    String catalogVersion,
    String detail) {

  /** Dollars are kept to 12 decimal places (a millionth of a micro-dollar). */
  public static final int SCALE = 12;

  /** The cost of a span that bears none. */
  public static final Cost NONE =
      new Cost(BigDecimal.ZERO.setScale(SCALE), CostSource.NONE, null, null, "");

  public Cost {
    Objects.requireNonNull(source, "source");
    detail = detail == null ? "" : detail;
    if (source == CostSource.UNKNOWN) {
      if (amountUsd != null) {
        throw new IllegalArgumentException("an unknown cost has no amount");
      }
    } else {
      Objects.requireNonNull(amountUsd, "amountUsd");
      try {
        amountUsd = DecimalBounds.bounded(amountUsd, DecimalBounds.MAX_COST_USD, SCALE);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cost " + e.getMessage(), e);
      }
    }
  }

  /** A cost that could not be determined, with the reason (for example the unknown model). */
  public static Cost unknown(String detail) {
    return new Cost(null, CostSource.UNKNOWN, null, null, detail);
  }

  public static Cost reported(BigDecimal amountUsd, String detail) {
    return new Cost(amountUsd, CostSource.REPORTED, null, null, detail);
  }

  public boolean isKnown() {
    return source.isKnown();
  }

  /** The amount, or zero when unknown: only for sums that also report completeness. */
  public BigDecimal amountOrZero() {
    return amountUsd == null ? BigDecimal.ZERO.setScale(SCALE) : amountUsd;
  }
}
