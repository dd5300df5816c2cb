/**
 * The AgentLedger instrumentation library: trace agents, model calls, tool calls, decisions and
 * approvals with the OpenTelemetry GenAI conventions ({@link
 * io.agentledger.instrumentation.AgentLedger}), export to Kafka without blocking the agent ({@link
 * io.agentledger.instrumentation.KafkaSpanExporter}), and stop an agent before it overspends
 * ({@link io.agentledger.instrumentation.BudgetGuard}).
 */
@NullMarked
package io.agentledger.instrumentation;

import org.jspecify.annotations.NullMarked;
