/** The benchmark suite entry point. */
@NullMarked
package io.agentledger.bench;

import org.jspecify.annotations.NullMarked;
