/**
 * Normalization of decoded OTLP spans, whatever convention the emitter used, into canonical agent
 * spans.
 */
@NullMarked
package io.agentledger.core.normalize;

import org.jspecify.annotations.NullMarked;
