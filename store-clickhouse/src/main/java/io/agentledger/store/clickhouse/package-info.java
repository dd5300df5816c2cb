/** The ClickHouse span-store adapter. */
@NullMarked
package io.agentledger.store.clickhouse;

import org.jspecify.annotations.NullMarked;
