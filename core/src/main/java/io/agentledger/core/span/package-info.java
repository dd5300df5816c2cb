/**
 * The canonical agent span: one immutable row per span, whatever convention the emitter used.
 *
 * <p>{@link io.agentledger.core.span.AgentSpan} is what the collector stores, the analyzer reads
 * and the query API serves. Token counts follow the OpenTelemetry GenAI rules ({@link
 * io.agentledger.core.span.Usage}); money is exact ({@link java.math.BigDecimal}) and always says
 * where it came from ({@link io.agentledger.core.span.Cost}).
 */
@NullMarked
package io.agentledger.core.span;

import org.jspecify.annotations.NullMarked;
