package io.agentledger.core.pricing;

import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.DecimalBounds;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prices spans. Thread-safe and pure apart from the catalog lookup.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>A cost the emitter reported wins — except a reported zero beside non-zero usage of a model
 *       the catalog prices: emitters write zero when their own price lookup failed, and that is not
 *       a cost.
 *   <li>No usage: a model call's cost is unknown ("no usage reported"); any other span bears none.
 *   <li>No catalog entry for the model: unknown, naming the model. Never zero.
 *   <li>Otherwise: the price period in force at the span's start; the context tier chosen by the
 *       input size; the service tier's prices when the span ran in one; fresh input, cache reads,
 *       five-minute and one-hour cache writes, visible output and reasoning each at their own
 *       price.
 * </ol>
 */
public final class CostCalculator {

  private final Function<String, PriceCatalog> catalogForProject;
  private final Function<String, ToolPrices> toolPricesForProject;

  /** A calculator using one catalog for every project. */
  public CostCalculator(PriceCatalog catalog) {
    Objects.requireNonNull(catalog, "catalog");
    this.catalogForProject = project -> catalog;
    this.toolPricesForProject = project -> ToolPrices.NONE;
  }

  /** A calculator whose catalog (overrides included) depends on the project. */
  public CostCalculator(Function<String, PriceCatalog> catalogForProject) {
    this(catalogForProject, project -> ToolPrices.NONE);
  }

  /** A calculator whose catalog and tool prices depend on the project. */
  public CostCalculator(
      Function<String, PriceCatalog> catalogForProject,
      Function<String, ToolPrices> toolPricesForProject) {
    this.catalogForProject = Objects.requireNonNull(catalogForProject, "catalogForProject");
    this.toolPricesForProject =
        Objects.requireNonNull(toolPricesForProject, "toolPricesForProject");
  }

  /**
   * The cost of a span that bears no model cost, by the project's tool and sandbox prices; {@link
   * Cost#NONE} when none of them names it.
   */
  public Cost toolCost(
      String project,
      String toolName,
      String spanName,
      long startEpochNanos,
      long endEpochNanos,
      java.util.Map<String, String> attributes) {
    return toolPricesForProject
        .apply(project)
        .cost(toolName, spanName, startEpochNanos, endEpochNanos, attributes);
  }

  public PriceCatalog catalogFor(String project) {
    return catalogForProject.apply(project);
  }

  /** The cost of one span. */
  public Cost cost(CostRequest request) {
    Usage usage = request.usage();
    PriceCatalog catalog = catalogForProject.apply(request.project());
    Optional<PriceMatch> match =
        request.model().isEmpty()
            ? Optional.empty()
            : catalog.match(request.provider(), request.model());
    String overruled = "";
    if (request.reportedCostUsd() != null) {
      boolean failedLookup =
          request.reportedCostUsd().signum() == 0 && usage.totalTokens() > 0 && match.isPresent();
      if (!failedLookup) {
        return Cost.reported(request.reportedCostUsd(), "reported by the emitter");
      }
      overruled = "reported cost 0 ignored for non-zero usage of a priced model; ";
    }
    if (!usage.reported()) {
      return request.modelCall()
          ? Cost.unknown("no usage reported" + modelSuffix(request))
          : Cost.NONE;
    }
    if (request.model().isEmpty()) {
      return Cost.unknown(overruled + "no model reported");
    }
    if (match.isEmpty()) {
      return Cost.unknown(
          overruled
              + "unknown model '"
              + request.model()
              + "'"
              + (request.provider().isEmpty() ? "" : " (provider " + request.provider() + ")"));
    }
    PriceMatch m = match.get();
    StringBuilder detail = new StringBuilder(overruled);
    append(detail, m.describe());
    LocalDate day =
        Instant.ofEpochSecond(0, request.startEpochNanos()).atZone(ZoneOffset.UTC).toLocalDate();
    PricePeriod period = m.pricing().periodAt(day);
    BigDecimal amount = price(period, usage, request.serviceTier(), detail);
    if (!DecimalBounds.isStorableCost(amount)) {
      return Cost.unknown(
          "computed cost is above the limit of "
              + DecimalBounds.MAX_COST_USD.toPlainString()
              + " USD per span");
    }
    return new Cost(
        amount,
        request.usageEstimated() ? CostSource.ESTIMATED : CostSource.COMPUTED,
        m.pricedAs(),
        catalog.version(),
        (request.usageEstimated() ? "tokens estimated from text; " : "") + detail);
  }

  /** The dollar amount of a usage under one price period; notes the tiers applied in detail. */
  static BigDecimal price(
      PricePeriod period, Usage usage, ServiceTier serviceTier, StringBuilder detail) {
    PriceRates rates = period.rates();
    ContextTier tier = period.tierFor(usage.inputTokens());
    if (tier != null) {
      rates = rates.overlay(tier.rates());
      append(detail, "long-context price (input > " + tier.aboveInputTokens() + " tokens)");
    }
    if (serviceTier != ServiceTier.STANDARD) {
      PriceRates.PartialRates tierRates = period.serviceTiers().get(serviceTier);
      if (tierRates != null) {
        rates = rates.overlay(tierRates);
        append(detail, serviceTier.wireName() + " service tier");
      } else {
        append(detail, "no " + serviceTier.wireName() + " price in catalog, standard price used");
      }
    }
    long cacheWrite1h = usage.cacheWrite1hTokens();
    long cacheWrite5m = usage.cacheWriteTokens() - cacheWrite1h;
    long reasoning = usage.reasoningTokens();
    BigDecimal perMillion =
        rates
            .input()
            .multiply(BigDecimal.valueOf(usage.uncachedInputTokens()))
            .add(rates.cacheReadOrInput().multiply(BigDecimal.valueOf(usage.cacheReadTokens())))
            .add(rates.cacheWrite5mOrInput().multiply(BigDecimal.valueOf(cacheWrite5m)))
            .add(rates.cacheWrite1hOrShorter().multiply(BigDecimal.valueOf(cacheWrite1h)))
            .add(
                rates.outputOrZero().multiply(BigDecimal.valueOf(usage.outputTokens() - reasoning)))
            .add(rates.reasoningOrOutput().multiply(BigDecimal.valueOf(reasoning)));
    return perMillion.movePointLeft(6);
  }

  private static String modelSuffix(CostRequest request) {
    return request.model().isEmpty() ? "" : " for '" + request.model() + "'";
  }

  private static void append(StringBuilder detail, String note) {
    if (note.isEmpty()) {
      return;
    }
    if (detail.length() > 0 && !endsWithSeparator(detail)) {
      detail.append("; ");
    }
    detail.append(note);
  }

  private static boolean endsWithSeparator(StringBuilder sb) {
    return sb.length() >= 2 && sb.charAt(sb.length() - 2) == ';';
  }
}
