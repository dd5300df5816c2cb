/** The DuckDB span-store adapter. */
@NullMarked
package io.agentledger.store.duckdb;

import org.jspecify.annotations.NullMarked;
