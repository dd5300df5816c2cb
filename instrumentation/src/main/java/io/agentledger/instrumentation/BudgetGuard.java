package io.agentledger.instrumentation;

import io.agentledger.core.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the running cost of each chain (and optionally each conversation) and stops the agent
 * before it overspends: a model or tool call is refused at its start once the budget is spent, and
 * a model call opened with an estimate ({@link AgentRun#modelCall(String, String, long, long)}) is
 * refused when its largest possible price would cross the budget. A refusal runs the callback,
 * marks the agent's span and the chain's root span (status error, event {@code
 * agentledger.budget.exceeded} with the budget and the spend) and, unless {@link #callbackOnly()},
 * throws {@link BudgetExceededException} from the call's start.
 *
 * <p>Calls are priced by the ledger: the bundled catalog, or the one given to {@link #withCatalog}
 * or {@link AgentLedger.Builder#prices}, such as the project's overrides fetched from the query API
 * ({@code AGENTLEDGER_API_URL}).
 *
 * <p>Memory is bounded: a chain is forgotten when its root agent ends, and a chain or conversation
 * untouched for {@link #forgetAfter} (a day by default) or beyond the {@link #maxTracked} most
 * recent (100,000 each) is forgotten, its spend starting again from zero.
 *
 * <pre>{@code
 * BudgetGuard guard = BudgetGuard.perChain(new BigDecimal("0.50"))
 *     .onExceeded(o -> log.warn("stopping: {}", o));
 * }</pre>
 */
public final class BudgetGuard {

  /**
   * A budget that was, or would have been, overspent.
   *
   * @param scope {@code chain} or {@code session}
   * @param id the trace id or the conversation id
   * @param budgetUsd the budget
   * @param spentUsd what had been spent before the refused call
   * @param callEstimateUsd the refused call's largest possible price, zero without an estimate
   */
  public record Overrun(
      String scope,
      String id,
      BigDecimal budgetUsd,
      BigDecimal spentUsd,
      BigDecimal callEstimateUsd) {
    @Override
    public String toString() {
      String s =
          scope
              + " "
              + id
              + " has spent $"
              + spentUsd.toPlainString()
              + " of its $"
              + budgetUsd.toPlainString()
              + " budget";
      return callEstimateUsd.signum() > 0
          ? s + "; the next call could cost up to $" + callEstimateUsd.toPlainString()
          : s;
    }
  }

  private static final int DEFAULT_MAX_TRACKED = 100_000;
  private static final Duration DEFAULT_FORGET_AFTER = Duration.ofDays(1);

  private final BigDecimal chainBudget;
  private final @Nullable BigDecimal sessionBudget;
  private final DecimalSum.Limit chainLimit;
  private final DecimalSum.@Nullable Limit sessionLimit;
  private final Consumer<Overrun> onExceeded;
  private final boolean throwWhenExceeded;
  private final @Nullable PriceCatalog catalog;
  private final int maxTracked;
  private final Duration forgetAfter;
  private final LongSupplier nanoTime;
  private final RunningTotals chains;
  private final RunningTotals sessions;

  private BudgetGuard(
      BigDecimal chainBudget,
      @Nullable BigDecimal sessionBudget,
      Consumer<Overrun> onExceeded,
      boolean throwWhenExceeded,
      @Nullable PriceCatalog catalog,
      int maxTracked,
      Duration forgetAfter,
      LongSupplier nanoTime) {
    this.chainBudget = chainBudget;
    this.sessionBudget = sessionBudget;
    this.onExceeded = onExceeded;
    this.throwWhenExceeded = throwWhenExceeded;
    this.catalog = catalog;
    this.maxTracked = maxTracked;
    this.forgetAfter = forgetAfter;
    this.nanoTime = nanoTime;
    this.chainLimit = DecimalSum.Limit.of(chainBudget);
    this.sessionLimit = sessionBudget == null ? null : DecimalSum.Limit.of(sessionBudget);
    this.chains = new RunningTotals(maxTracked, forgetAfter.toNanos());
    this.sessions = new RunningTotals(maxTracked, forgetAfter.toNanos());
  }

  private BudgetGuard copy(
      @Nullable BigDecimal session,
      Consumer<Overrun> callback,
      boolean throwing,
      @Nullable PriceCatalog prices,
      int max,
      Duration idle,
      LongSupplier time) {
    return new BudgetGuard(chainBudget, session, callback, throwing, prices, max, idle, time);
  }

  /**
   * A budget for each chain (trace), in USD.
   *
   * @param usd the budget, positive
   * @return a guard that throws {@link BudgetExceededException} once a chain has spent it
   * @throws IllegalArgumentException when the amount is not positive (a configuration error)
   */
  public static BudgetGuard perChain(BigDecimal usd) {
    return new BudgetGuard(
        positive(usd),
        null,
        o -> {},
        true,
        null,
        DEFAULT_MAX_TRACKED,
        DEFAULT_FORGET_AFTER,
        System::nanoTime);
  }

  /**
   * Also a budget for each conversation ({@code gen_ai.conversation.id}) across its chains.
   *
   * @param usd the budget, positive
   * @return a copy of this guard with the session budget
   */
  public BudgetGuard perSession(BigDecimal usd) {
    return copy(
        positive(usd), onExceeded, throwWhenExceeded, catalog, maxTracked, forgetAfter, nanoTime);
  }

  /**
   * Called once per call refused; runs on the agent's thread, so keep it quick. An exception it
   * throws is logged once and ignored.
   *
   * @param callback receives each overrun
   * @return a copy of this guard with the callback
   */
  public BudgetGuard onExceeded(Consumer<Overrun> callback) {
    return copy(
        sessionBudget,
        Objects.requireNonNull(callback, "callback"),
        throwWhenExceeded,
        catalog,
        maxTracked,
        forgetAfter,
        nanoTime);
  }

  /**
   * Only call back (and mark the trace), never throw: for agents that stop themselves.
   *
   * @return a copy of this guard that never throws
   */
  public BudgetGuard callbackOnly() {
    return copy(sessionBudget, onExceeded, false, catalog, maxTracked, forgetAfter, nanoTime);
  }

  /**
   * Prices calls with this catalog instead of the bundled one (negotiated rates, the project's
   * overrides); the same as {@link AgentLedger.Builder#prices}, which wins when both are given.
   *
   * @param catalog the prices to use
   * @return a copy of this guard with the catalog
   */
  public BudgetGuard withCatalog(PriceCatalog catalog) {
    return copy(
        sessionBudget,
        onExceeded,
        throwWhenExceeded,
        Objects.requireNonNull(catalog, "catalog"),
        maxTracked,
        forgetAfter,
        nanoTime);
  }

  /**
   * Forgets a chain or conversation untouched this long (default one day).
   *
   * @param idle how long an idle chain or conversation is remembered
   * @return a copy of this guard
   */
  public BudgetGuard forgetAfter(Duration idle) {
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("forgetAfter must be positive");
    }
    return copy(sessionBudget, onExceeded, throwWhenExceeded, catalog, maxTracked, idle, nanoTime);
  }

  /**
   * Remembers at most this many chains, and as many conversations (default 100,000 each); the least
   * recently active are forgotten first.
   *
   * @param max the bound, positive
   * @return a copy of this guard
   */
  public BudgetGuard maxTracked(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxTracked must be positive");
    }
    return copy(sessionBudget, onExceeded, throwWhenExceeded, catalog, max, forgetAfter, nanoTime);
  }

  /** The time source of {@link #forgetAfter}: tests drive it. */
  BudgetGuard withNanoTime(LongSupplier time) {
    return copy(
        sessionBudget, onExceeded, throwWhenExceeded, catalog, maxTracked, forgetAfter, time);
  }

  /**
   * What the chain has spent so far, as priced locally.
   *
   * @param traceId the chain's trace id, lower-case hex
   * @return the amount in USD, zero for an unknown (or forgotten) chain
   */
  public BigDecimal spentOnChain(String traceId) {
    return chains.get(traceId, nanoTime.getAsLong());
  }

  /**
   * What the conversation has spent so far, as priced locally.
   *
   * @param sessionId the conversation id
   * @return the amount in USD, zero for an unknown (or forgotten) conversation
   */
  public BigDecimal spentOnSession(String sessionId) {
    return sessions.get(sessionId, nanoTime.getAsLong());
  }

  /**
   * How many chains and conversations the guard remembers now.
   *
   * @return the number of entries held
   */
  public int tracked() {
    long now = nanoTime.getAsLong();
    return chains.size(now) + sessions.size(now);
  }

  @Nullable PriceCatalog catalog() {
    return catalog;
  }

  boolean throwsWhenExceeded() {
    return throwWhenExceeded;
  }

  /**
   * The budget a call would overspend: already spent, or spent plus the call's largest possible
   * price ({@code estimate × 10^-estimateScale}) over the budget. One clock read for both totals.
   */
  Optional<Overrun> overrun(
      String traceId, @Nullable String sessionId, long estimate, int estimateScale) {
    long now = nanoTime.getAsLong();
    if (chains.exceeds(traceId, now, estimate, estimateScale, chainLimit)) {
      return Optional.of(overrun("chain", traceId, chains, now, estimate(estimate, estimateScale)));
    }
    if (sessionLimit != null
        && sessionId != null
        && sessions.exceeds(sessionId, now, estimate, estimateScale, sessionLimit)) {
      return Optional.of(
          overrun("session", sessionId, sessions, now, estimate(estimate, estimateScale)));
    }
    return Optional.empty();
  }

  /** {@link #overrun(String, String, long, int)} for an estimate core's arithmetic priced. */
  Optional<Overrun> overrun(String traceId, @Nullable String sessionId, BigDecimal estimate) {
    long now = nanoTime.getAsLong();
    if (chains.exceeds(traceId, now, estimate, chainBudget)) {
      return Optional.of(overrun("chain", traceId, chains, now, estimate));
    }
    if (sessionBudget != null
        && sessionId != null
        && sessions.exceeds(sessionId, now, estimate, sessionBudget)) {
      return Optional.of(overrun("session", sessionId, sessions, now, estimate));
    }
    return Optional.empty();
  }

  private Overrun overrun(
      String scope, String id, RunningTotals totals, long now, BigDecimal estimate) {
    BigDecimal budget = scope.equals("chain") ? chainBudget : Objects.requireNonNull(sessionBudget);
    return new Overrun(scope, id, budget, totals.get(id, now), estimate);
  }

  /** The estimate as the pricer's BigDecimal: trailing zeros stripped, zero as ZERO. */
  private static BigDecimal estimate(long unscaled, int scale) {
    return unscaled == 0
        ? BigDecimal.ZERO
        : BigDecimal.valueOf(unscaled, scale).stripTrailingZeros();
  }

  /** Runs the callback; a callback that throws is logged once, never passed to the agent. */
  void notifyExceeded(Overrun overrun) {
    try {
      onExceeded.accept(overrun);
    } catch (RuntimeException e) {
      Misuse.failed("the budget guard's onExceeded callback", e);
    }
  }

  /** After a priced model call. */
  void add(String traceId, @Nullable String sessionId, BigDecimal amount) {
    long now = nanoTime.getAsLong();
    chains.add(traceId, now, amount);
    if (sessionId != null) {
      sessions.add(sessionId, now, amount);
    }
  }

  /** After a call priced as {@code amount × 10^-scale}; one clock read for both totals. */
  void add(String traceId, @Nullable String sessionId, long amount, int scale) {
    long now = nanoTime.getAsLong();
    chains.add(traceId, now, amount, scale);
    if (sessionId != null) {
      sessions.add(sessionId, now, amount, scale);
    }
  }

  /** Forgets a finished chain (its root agent ended). */
  void forgetChain(String traceId) {
    chains.remove(traceId);
  }

  private static BigDecimal positive(@Nullable BigDecimal usd) {
    if (usd == null || usd.signum() <= 0) {
      throw new IllegalArgumentException("a budget must be a positive amount of USD");
    }
    return usd;
  }
}
