/** Latency, process-usage and result reporting for the benchmarks. */
@NullMarked
package io.agentledger.bench.report;

import org.jspecify.annotations.NullMarked;
