/**
 * A real ClickHouse for tests without Docker: {@code clickhouse-local} from libchdb, run as a child
 * process behind the HTTP interface ({@link io.agentledger.clickhouse.embedded.LocalClickHouse}).
 */
@NullMarked
package io.agentledger.clickhouse.embedded;

import org.jspecify.annotations.NullMarked;
