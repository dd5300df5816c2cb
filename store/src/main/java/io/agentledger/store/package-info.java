/**
 * The span-store ports: what the collector writes through and the analyzer and query API read
 * through, one small interface per role — {@link io.agentledger.store.SpanWriter}, {@link
 * io.agentledger.store.ChainReader}, {@link io.agentledger.store.CostQueries}, {@link
 * io.agentledger.store.FindingStore}, {@link io.agentledger.store.PriceOverrides}, {@link
 * io.agentledger.store.PipelineState}, {@link io.agentledger.store.RunStore}, {@link
 * io.agentledger.store.PathQueries} — and {@link io.agentledger.store.SpanStore}, all of them plus
 * a health check, which the two adapters implement: DuckDB (module {@code store-duckdb}, embedded,
 * the default) and ClickHouse (module {@code store-clickhouse}, scale-out). One contract test suite
 * (this module's test-jar) holds both to the same answers; the rules both apply live here once
 * ({@link io.agentledger.store.Settlement}, {@link io.agentledger.store.ChainPages}, {@link
 * io.agentledger.store.SessionReports}, {@link io.agentledger.store.StoreFailures}).
 *
 * <p>Every method is scoped to one project: there is no way to read across projects.
 *
 * <p>Data model. Spans are stored one row each, idempotent on {@code (project, traceId, spanId)}.
 * Each row keeps the per-span billing decision taken at normalization; when a chain settles, the
 * analyzer hands its {@link io.agentledger.core.rollup.ChainRollupResult} to {@link
 * io.agentledger.store.PipelineState#saveRollups}, which stores the chain summary and corrects the
 * per-span fields the tree decides: billing role, attributed agent, and the chain's session and
 * user. Aggregations ({@link io.agentledger.store.CostQueries#costs}) then sum billable spans only,
 * which never double-counts.
 */
@NullMarked
package io.agentledger.store;

import org.jspecify.annotations.NullMarked;
