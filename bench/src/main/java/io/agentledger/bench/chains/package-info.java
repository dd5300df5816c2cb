/** Reading a 100,000-span chain: summary, first level, whole tree streamed; bytes per span. */
@NullMarked
package io.agentledger.bench.chains;

import org.jspecify.annotations.NullMarked;
