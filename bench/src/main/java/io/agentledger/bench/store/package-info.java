/** Span-store benchmarks and the fill that prepares them. */
@NullMarked
package io.agentledger.bench.store;

import org.jspecify.annotations.NullMarked;
