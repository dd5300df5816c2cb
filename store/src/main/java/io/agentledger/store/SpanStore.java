package io.agentledger.store;

/**
 * Where spans and everything derived from them are kept: every role at once, which is what an
 * adapter implements and what wiring passes around. A component depends on the roles it uses — the
 * collector on {@link SpanWriter}, the analyzer on {@link ChainReader} and {@link PipelineState},
 * each API route on its own — so a test double stands in for one role only.
 *
 * <p>Implementations are thread-safe: one writer (the collector) and many readers (API requests,
 * the analyzer) at the same time. Every method takes or implies one project and never returns
 * another project's data. Errors are {@link StoreException}s, marked retryable when trying again
 * may help.
 */
public interface SpanStore
    extends SpanWriter,
        ChainReader,
        CostQueries,
        FindingStore,
        RegressionStore,
        PriceOverrides,
        ToolPriceStore,
        PipelineState,
        DecisionTreeStore,
        CostTreeStore,
        RunStore,
        PathQueries,
        AlertStore,
        NotificationOutbox,
        LeaseStore,
        AutoCloseable {

  /**
   * Runs a trivial query against the database. Never throws: a failure is reported as {@link
   * StoreHealth#down}.
   *
   * @return up, or down with the reason
   */
  StoreHealth check();

  /** Releases connections; pending writes are complete when {@link #append} has returned. */
  @Override
  void close();
}
