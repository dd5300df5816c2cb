/**
 * The decision tree of a chain: what each agent did and why — agent invocations, model calls and
 * the tools they chose, tool executions, hand-offs, recorded decisions, human approvals, retries
 * and errors — as nodes joined by typed edges, built from the canonical spans and the chain's
 * roll-up ({@link io.agentledger.core.decision.DecisionTree#of}), so every convention the
 * normalizer reads yields the same tree. The attribute keys each convention uses live in {@link
 * io.agentledger.core.decision.DecisionKeys}.
 */
@NullMarked
package io.agentledger.core.decision;

import org.jspecify.annotations.NullMarked;
