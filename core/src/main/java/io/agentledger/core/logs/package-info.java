/**
 * Log events that describe model calls and tool runs (Claude Code's {@code claude_code.*} events),
 * turned into canonical OTLP spans so they travel the spans' pipeline (Kafka, normalization, cost,
 * roll-up, stores) unchanged. Everything else in a logs export is dropped and counted.
 */
@NullMarked
package io.agentledger.core.logs;

import org.jspecify.annotations.NullMarked;
