/** End-to-end ingest benchmarks: Kafka and DuckDB ceilings, the OTLP load driver. */
@NullMarked
package io.agentledger.bench.pipeline;

import org.jspecify.annotations.NullMarked;
