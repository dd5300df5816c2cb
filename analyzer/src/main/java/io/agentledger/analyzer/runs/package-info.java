/**
 * The runs of agents, derived once when a chain settles ({@link
 * io.agentledger.analyzer.runs.RunDerivation}): one {@link io.agentledger.store.RunSummary} per
 * agent invocation, with its cost, tokens, calls, errors, retries and path, which aggregated paths
 * and the detectors read instead of span trees.
 *
 * <p>Path rules ({@link io.agentledger.analyzer.runs.RunSteps}): a run's steps are the nodes of its
 * run in the chain's decision tree ({@link io.agentledger.core.decision.DecisionTree#runNodes}) in
 * time order, as {@code kind:name} — {@code llm:<model>}, {@code tool:<tool>}, {@code
 * retrieval:<name>}, {@code approval:<action>}, {@code decision:<decision>=<chosen>}, {@code
 * handoff:<agent>}, and {@code agent:<name>} for a nested agent invoked without a hand-off. A
 * nested agent is one step: its own steps belong to its own run. What happens beneath a model call
 * (SDK internals), plain steps and exceptions are not steps. Consecutive equal steps collapse into
 * one, {@code tool:search ×3}, so a loop does not explode the tree.
 */
@NullMarked
package io.agentledger.analyzer.runs;

import org.jspecify.annotations.NullMarked;
