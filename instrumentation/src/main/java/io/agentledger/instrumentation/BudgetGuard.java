package io.agentledger.instrumentation;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.CostRequest;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the running cost of each chain (and optionally each session), pricing every model call
 * locally with the bundled price catalog, and stops the agent at the next model or tool call once a
 * budget is spent: the callback runs and, unless configured otherwise, {@link
 * BudgetExceededException} is thrown from the call's start.
 *
 * <pre>{@code
 * BudgetGuard guard = BudgetGuard.perChain(new BigDecimal("0.50"))
 *     .onExceeded(o -> log.warn("stopping: {}", o));
 * }</pre>
 */
public final class BudgetGuard {

  /**
   * A budget that was spent.
   *
   * @param scope {@code chain} or {@code session}
   * @param id the trace id or session id
   */
  public record Overrun(String scope, String id, BigDecimal budgetUsd, BigDecimal spentUsd) {
    @Override
    public String toString() {
      return scope
          + " "
          + id
          + " has spent $"
          + spentUsd.toPlainString()
          + " of its $"
          + budgetUsd.toPlainString()
          + " budget";
    }
  }

  private final BigDecimal chainBudget;
  private final @Nullable BigDecimal sessionBudget;
  private final Consumer<Overrun> onExceeded;
  private final boolean throwWhenExceeded;
  private final PriceCatalog catalog;
  private final CostCalculator prices;
  private final Map<String, BigDecimal> chains = new ConcurrentHashMap<>();
  private final Map<String, BigDecimal> sessions = new ConcurrentHashMap<>();

  private BudgetGuard(
      BigDecimal chainBudget,
      @Nullable BigDecimal sessionBudget,
      Consumer<Overrun> onExceeded,
      boolean throwWhenExceeded,
      PriceCatalog catalog) {
    this.chainBudget = chainBudget;
    this.sessionBudget = sessionBudget;
    this.onExceeded = onExceeded;
    this.throwWhenExceeded = throwWhenExceeded;
    this.catalog = catalog;
    this.prices = new CostCalculator(catalog);
  }

  /**
   * A budget for each chain (trace), in USD.
   *
   * @param usd the budget, positive
   * @return a guard that throws {@link BudgetExceededException} once a chain has spent it
   */
  public static BudgetGuard perChain(BigDecimal usd) {
    return new BudgetGuard(positive(usd), null, o -> {}, true, PriceCatalog.bundled());
  }

  /**
   * Also a budget for each conversation ({@code gen_ai.conversation.id}) across its chains.
   *
   * @param usd the budget, positive
   * @return a copy of this guard with the session budget
   */
  public BudgetGuard perSession(BigDecimal usd) {
    return new BudgetGuard(chainBudget, positive(usd), onExceeded, throwWhenExceeded, catalog);
  }

  /**
   * Called once per call refused; runs on the agent's thread, so keep it quick.
   *
   * @param callback receives each overrun
   * @return a copy of this guard with the callback
   */
  public BudgetGuard onExceeded(Consumer<Overrun> callback) {
    return new BudgetGuard(
        chainBudget, sessionBudget, Objects.requireNonNull(callback), throwWhenExceeded, catalog);
  }

  /**
   * Only call back, never throw: for agents that stop themselves.
   *
   * @return a copy of this guard that never throws
   */
  public BudgetGuard callbackOnly() {
    return new BudgetGuard(chainBudget, sessionBudget, onExceeded, false, catalog);
  }

  /**
   * Prices calls with this catalog instead of the bundled one (negotiated rates).
   *
   * @param catalog the prices to use
   * @return a copy of this guard with the catalog
   */
  public BudgetGuard withCatalog(PriceCatalog catalog) {
    return new BudgetGuard(chainBudget, sessionBudget, onExceeded, throwWhenExceeded, catalog);
  }

  /**
   * What the chain has spent so far, as priced locally.
   *
   * @param traceId the chain's trace id, lower-case hex
   * @return the amount in USD, zero for an unknown chain
   */
  public BigDecimal spentOnChain(String traceId) {
    return chains.getOrDefault(traceId, BigDecimal.ZERO);
  }

  /**
   * What the conversation has spent so far, as priced locally.
   *
   * @param sessionId the conversation id
   * @return the amount in USD, zero for an unknown conversation
   */
  public BigDecimal spentOnSession(String sessionId) {
    return sessions.getOrDefault(sessionId, BigDecimal.ZERO);
  }

  /** Before a model or tool call: refuses it when a budget is already spent. */
  void checkBeforeCall(String traceId, @Nullable String sessionId) {
    Optional<Overrun> overrun = overrun(traceId, sessionId);
    if (overrun.isPresent()) {
      onExceeded.accept(overrun.get());
      if (throwWhenExceeded) {
        throw new BudgetExceededException(overrun.get());
      }
    }
  }

  private Optional<Overrun> overrun(String traceId, @Nullable String sessionId) {
    BigDecimal chain = spentOnChain(traceId);
    if (chainBudget != null && chain.compareTo(chainBudget) >= 0) {
      return Optional.of(new Overrun("chain", traceId, chainBudget, chain));
    }
    if (sessionBudget != null && sessionId != null) {
      BigDecimal session = spentOnSession(sessionId);
      if (session.compareTo(sessionBudget) >= 0) {
        return Optional.of(new Overrun("session", sessionId, sessionBudget, session));
      }
    }
    return Optional.empty();
  }

  /** After a model call: adds its price; returns it (empty for a model the catalog lacks). */
  Optional<BigDecimal> record(
      String traceId,
      @Nullable String sessionId,
      String provider,
      String model,
      Usage usage,
      long start) {
    Cost cost =
        prices.cost(
            new CostRequest(
                "local", true, provider, model, usage, false, null, start, ServiceTier.STANDARD));
    if (cost.amountUsd() == null) {
      return Optional.empty();
    }
    chains.merge(traceId, cost.amountUsd(), BigDecimal::add);
    if (sessionId != null) {
      sessions.merge(sessionId, cost.amountUsd(), BigDecimal::add);
    }
    return Optional.of(cost.amountUsd());
  }

  /** Forgets a finished chain (its root agent ended). */
  void forgetChain(String traceId) {
    chains.remove(traceId);
  }

  private static BigDecimal positive(BigDecimal usd) {
    if (usd == null || usd.signum() <= 0) {
      throw new IllegalArgumentException("a budget must be a positive amount of USD");
    }
    return usd;
  }
}
