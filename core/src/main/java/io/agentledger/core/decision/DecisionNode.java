package io.agentledger.core.decision;

import io.agentledger.core.rollup.UsageTotals;
import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A node of a decision tree: a span (agent, model call, tool, approval, retrieval, step) or an
 * event recorded on one (decision, hand-off, exception).
 *
 * <p>Nodes of one tree are numbered depth first, children in time order ({@code seq}), so the nodes
 * of one agent run in time order are those with its {@code runId}, sorted by {@code seq}.
 *
 * @param seq the node's position in the tree, depth first from 0; pages are ranges of it
 * @param id unique in the tree: the span id for span nodes, {@code spanId#n} for the n-th event
 * @param parentId the parent node's id; empty for a root
 * @param runId the id of the agent node whose run this node belongs to (itself for an agent node),
 *     empty when no agent encloses it
 * @param kind what the node stands for
 * @param label a short human name: agent name, model, tool, decision, action, error type
 * @param agent the agent the node's cost is attributed to (its nearest agent), or empty
 * @param spanId the span the node comes from
 * @param startEpochNanos when it started (events: when they were recorded)
 * @param durationNanos how long it took (zero for events)
 * @param status {@code ok}, {@code error} or {@code unset}
 *     <p>Dollar amounts are kept without trailing zeros, so a stored and read node equals the built
 *     one.
 * @param costUsd own counted cost (exclusive); zero for roll-ups and events, null when the span
 *     counts but its cost is unknown — as {@code costUsd} of the chain's cost tree
 * @param totalCostUsd own plus every descendant's known cost (inclusive), as the cost tree's
 * @param usage own counted tokens (exclusive); zero for roll-ups, whose usage repeats descendants'
 * @param totalUsage own plus every descendant's counted tokens (inclusive)
 * @param attempt 1, or the attempt number when the node repeats a failed sibling
 * @param detail what the node's kind adds
 */
public record DecisionNode(
    int seq,
    String id,
    String parentId,
    String runId,
    NodeKind kind,
    String label,
    String agent,
    String spanId,
    long startEpochNanos,
    long durationNanos,
    String status,
    @Nullable BigDecimal costUsd,
    BigDecimal totalCostUsd,
    UsageTotals usage,
    UsageTotals totalUsage,
    int attempt,
    NodeDetail detail) {

  public DecisionNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    parentId = parentId == null ? "" : parentId;
    runId = runId == null ? "" : runId;
    label = label == null ? "" : label;
    agent = agent == null ? "" : agent;
    spanId = spanId == null ? "" : spanId;
    status = status == null ? "unset" : status;
    costUsd = costUsd == null ? null : plain(costUsd);
    totalCostUsd = totalCostUsd == null ? BigDecimal.ZERO : plain(totalCostUsd);
    usage = usage == null ? UsageTotals.ZERO : usage;
    totalUsage = totalUsage == null ? UsageTotals.ZERO : totalUsage;
    detail = detail == null ? NodeDetail.NONE : detail;
  }

  /** True for a root of the tree (the chain's root span, an orphan, a cut cycle). */
  public boolean isRoot() {
    return parentId.isEmpty();
  }

  private static BigDecimal plain(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
