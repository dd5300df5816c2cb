package io.agentledger.core.rollup;

import io.agentledger.core.span.AgentSpan;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A span in the chain's cost tree.
 *
 * @param span the span itself
 * @param agent the agent the span's cost is attributed to (its nearest agent)
 * @param counted whether the span's own usage counts toward the chain
 * @param rollup true when the span carries usage that does not count because its descendants carry
 *     the same work
 * @param costUsd the span's own counted cost: zero when not counted, null when counted but unknown
 * @param totalCostUsd own counted cost plus every descendant's (known costs only)
 * @param children ordered by start time, then span id
 */
public record TreeNode(
    AgentSpan span,
    String agent,
    boolean counted,
    boolean rollup,
    @Nullable BigDecimal costUsd,
    BigDecimal totalCostUsd,
    List<TreeNode> children) {}
