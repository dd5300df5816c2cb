package io.agentledger.api.chains;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.agentledger.api.http.Json;
import io.agentledger.api.http.Views;
import io.agentledger.core.decision.DecisionEdge;
import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTreePage;
import io.agentledger.core.decision.NodeDetail;
import io.agentledger.core.decision.ToolChoice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /chains/{traceId}/decisions}: one page of the chain's decision tree.
 *
 * @param traceId the chain
 * @param nodes the page's nodes, depth first, children in time order
 * @param edges the edges that enter the page's nodes
 * @param totalNodes how many nodes the whole tree has
 * @param settled true when the tree was derived when the chain settled; false when the chain has
 *     not settled yet and the tree was built from its spans for this answer
 * @param nextCursor pass as {@code cursor} for the next page; absent on the last page
 */
public record DecisionTreeView(
    String traceId,
    List<Node> nodes,
    List<Edge> edges,
    int totalNodes,
    boolean settled,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String nextCursor) {

  static DecisionTreeView of(DecisionTreePage page, boolean settled) {
    return new DecisionTreeView(
        page.traceId(),
        page.nodes().stream().map(Node::of).toList(),
        page.edges().stream().map(Edge::of).toList(),
        page.totalNodes(),
        settled,
        page.nextCursor().orElse(null));
  }

  /**
   * A node: a span, or a decision, hand-off or exception recorded on one. Fields of other kinds are
   * left out.
   *
   * @param id unique in the tree: the span id, or {@code spanId#n} for the span's n-th event
   * @param kind agent, llm, tool, handoff, decision, approval, retrieval, error or step
   * @param parentId the parent node, absent for a root
   * @param runId the agent node whose run this node belongs to
   * @param costUsd own counted cost (exclusive), null when unknown; as the cost tree's
   * @param totalCostUsd own plus descendants' known cost (inclusive); as the cost tree's
   * @param usage own counted tokens (exclusive)
   * @param totalUsage own plus descendants' counted tokens (inclusive)
   * @param attempt above 1 when the node repeats a failed sibling (a retry)
   * @param chosenTools llm: the tool calls the model asked for
   * @param arguments tool: its arguments, truncated
   * @param server tool: the MCP server that served it
   */
  public record Node(
      String id,
      String kind,
      String label,
      @Nullable String agent,
      String spanId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String parentId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String runId,
      Instant startTime,
      long durationMs,
      String status,
      @Nullable BigDecimal costUsd,
      BigDecimal totalCostUsd,
      Views.Usage usage,
      Views.Usage totalUsage,
      int attempt,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String model,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String finishReason,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable List<ChosenTool> chosenTools,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String tool,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String toolCallId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String arguments,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String server,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String from,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String to,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable List<String> options,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String choice,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String reason,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Double score,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String outcome,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String by,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long waitMs,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String errorType,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String errorMessage) {

    static Node of(DecisionNode n) {
      NodeDetail d = n.detail();
      return new Node(
          n.id(),
          n.kind().wireName(),
          n.label(),
          Json.orNull(n.agent()),
          n.spanId(),
          Json.orNull(n.parentId()),
          Json.orNull(n.runId()),
          Json.instant(n.startEpochNanos()),
          n.durationNanos() / 1_000_000,
          n.status(),
          Json.usd(n.costUsd()),
          Json.usdKnown(n.totalCostUsd()),
          Views.Usage.of(n.usage()),
          Views.Usage.of(n.totalUsage()),
          n.attempt(),
          Json.orNull(d.model()),
          Json.orNull(d.finishReason()),
          d.chosenTools().stream().map(ChosenTool::of).toList(),
          Json.orNull(d.tool()),
          Json.orNull(d.toolCallId()),
          Json.orNull(d.arguments()),
          Json.orNull(d.server()),
          Json.orNull(d.from()),
          Json.orNull(d.to()),
          d.options(),
          Json.orNull(d.choice()),
          Json.orNull(d.reason()),
          d.score(),
          Json.orNull(d.outcome()),
          Json.orNull(d.by()),
          d.waitMs(),
          Json.orNull(d.errorType()),
          Json.orNull(d.errorMessage()));
    }
  }

  /**
   * A tool call the model asked for.
   *
   * @param id the tool-call id, when the model gave one
   * @param arguments the arguments, truncated
   */
  public record ChosenTool(
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String id,
      String name,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String arguments) {
    static ChosenTool of(ToolChoice c) {
      return new ChosenTool(Json.orNull(c.id()), c.name(), Json.orNull(c.arguments()));
    }
  }

  /**
   * A typed edge.
   *
   * @param kind calls (parent → child), chose (model call → the tool execution it asked for),
   *     handoff (agent → agent), next (sibling → next sibling), retry (failed → repeated attempt)
   */
  public record Edge(String source, String target, String kind) {
    static Edge of(DecisionEdge e) {
      return new Edge(e.source(), e.target(), e.kind().wireName());
    }
  }
}
