/** The synthetic agent-chain workload the benchmarks send. */
@NullMarked
package io.agentledger.bench.workload;

import org.jspecify.annotations.NullMarked;
