/**
 * {@code ./agentledger demo}: simulated agents recorded with the instrumentation library and sent
 * to the running standalone over OTLP. Models, tools and humans are simulated; the telemetry is
 * real.
 */
@NullMarked
package io.agentledger.standalone.demo;

import org.jspecify.annotations.NullMarked;
