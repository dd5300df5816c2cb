/** Aggregated paths at 100,000 runs of one agent, on DuckDB and on ClickHouse. */
@NullMarked
package io.agentledger.bench.paths;

import org.jspecify.annotations.NullMarked;
