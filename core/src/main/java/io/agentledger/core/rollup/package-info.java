/**
 * The chain roll-up: totals, per-agent and per-model breakdowns and the cost tree of one trace, as
 * a pure function of its spans ({@link io.agentledger.core.rollup.ChainRollup#compute}).
 *
 * <p>The rules: a provider request (a model call) is always billed, even with tools and sub-agents
 * running inside it, unless the usage billed beneath it is the same request's (equal tokens); any
 * other span's usage counts only when no descendant carries usage (parents that repeat their
 * children's usage — agent, workflow, {@code ai.generateText} — are roll-ups); duplicated spans
 * count once; the result is the same in any order; each counted cost is attributed exclusively to
 * its nearest agent and inclusively to every agent above it; a counted span whose cost is unknown
 * makes the chain's cost incomplete.
 */
@NullMarked
package io.agentledger.core.rollup;

import org.jspecify.annotations.NullMarked;
