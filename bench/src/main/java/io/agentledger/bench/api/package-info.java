/** Benchmarks of the query API under load. */
@NullMarked
package io.agentledger.bench.api;

import org.jspecify.annotations.NullMarked;
