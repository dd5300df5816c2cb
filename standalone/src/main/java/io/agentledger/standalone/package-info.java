/** The standalone process: embedded Kafka, collector, analyzer and query API on DuckDB. */
@NullMarked
package io.agentledger.standalone;

import org.jspecify.annotations.NullMarked;
