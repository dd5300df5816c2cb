/** Decision trees of a small and a 100,000-span chain: derivation, first page, heap. */
@NullMarked
package io.agentledger.bench.decision;

import org.jspecify.annotations.NullMarked;
