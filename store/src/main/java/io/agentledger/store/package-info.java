/**
 * The span-store port: what the collector writes through and the analyzer and query API read
 * through. Two adapters implement {@link io.agentledger.store.SpanStore}: DuckDB (embedded, the
 * default) and ClickHouse (scale-out); one contract test suite holds both to the same answers.
 *
 * <p>Every method is scoped to one project: there is no way to read across projects.
 *
 * <p>Data model. Spans are stored one row each, idempotent on {@code (project, traceId, spanId)}.
 * Each row keeps the per-span billing decision taken at normalization; when a chain settles, the
 * analyzer hands its {@link io.agentledger.core.rollup.ChainRollupResult} to {@link
 * io.agentledger.store.SpanStore#saveRollups}, which stores the chain summary and corrects the
 * per-span fields the tree decides: billing role, attributed agent, and the chain's session and
 * user. Aggregations ({@link io.agentledger.store.SpanStore#costs}) then sum billable spans only,
 * which never double-counts.
 */
@NullMarked
package io.agentledger.store;

import org.jspecify.annotations.NullMarked;
