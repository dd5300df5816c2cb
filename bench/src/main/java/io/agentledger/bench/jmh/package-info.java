/** JMH micro-benchmarks: decoding, normalization, roll-up and instrumentation overhead. */
@NullMarked
package io.agentledger.bench.jmh;

import org.jspecify.annotations.NullMarked;
