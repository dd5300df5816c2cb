package io.agentledger.core.pricing;

import io.agentledger.core.span.Cost;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A project's tool and sandbox prices, by tool name. A span is priced by the price named by its
 * tool name, else by its span name, when that price is in force at the span's start.
 */
public final class ToolPrices {

  /** No tool prices: every tool call bears no cost of its own. */
  public static final ToolPrices NONE = new ToolPrices(List.of());

  private final Map<String, ToolPrice> byTool;

  private ToolPrices(Collection<ToolPrice> prices) {
    Map<String, ToolPrice> m = new LinkedHashMap<>();
    for (ToolPrice p : prices) {
      m.put(p.tool(), p);
    }
    this.byTool = Map.copyOf(m);
  }

  /** A project's prices; a later price for the same tool replaces an earlier one. */
  public static ToolPrices of(Collection<ToolPrice> prices) {
    return prices.isEmpty() ? NONE : new ToolPrices(prices);
  }

  public boolean isEmpty() {
    return byTool.isEmpty();
  }

  /**
   * The cost of a span under these prices; {@link Cost#NONE} when no price names it or the price is
   * not in force yet at its start.
   *
   * @param toolName the span's normalized tool name, may be empty
   * @param spanName the span's name
   * @param startEpochNanos when the span started
   * @param endEpochNanos when it ended
   * @param attributes its attributes (for a per-unit price)
   */
  public Cost cost(
      String toolName,
      String spanName,
      long startEpochNanos,
      long endEpochNanos,
      Map<String, String> attributes) {
    if (byTool.isEmpty()) {
      return Cost.NONE;
    }
    ToolPrice price = priceFor(toolName, spanName);
    if (price == null) {
      return Cost.NONE;
    }
    LocalDate day = Instant.ofEpochSecond(0, startEpochNanos).atZone(ZoneOffset.UTC).toLocalDate();
    if (price.effectiveFrom().isAfter(day)) {
      return Cost.NONE;
    }
    return price.cost(endEpochNanos - startEpochNanos, attributes);
  }

  private @Nullable ToolPrice priceFor(String toolName, String spanName) {
    ToolPrice byName = toolName.isEmpty() ? null : byTool.get(toolName);
    return byName != null ? byName : byTool.get(spanName);
  }

  /**
   * True when a span's cost was priced by a tool price (it names {@code tool:<name>}), known or
   * not: such a cost is the span's own, never a roll-up of its children's.
   */
  public static boolean isToolCost(Cost cost) {
    String pricedAs = cost.pricedAs();
    return pricedAs != null && pricedAs.startsWith(ToolPrice.PRICED_AS_PREFIX);
  }
}
