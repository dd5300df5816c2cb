package io.agentledger.core.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decision tree in the field names of Grafana's Node Graph panel: nodes {@code id, title,
 * subTitle, mainStat, secondaryStat, arc__*, detail__*}, edges {@code id, source, target,
 * mainStat}. The arcs colour a node by status ({@code arc__ok}, {@code arc__error}, {@code
 * arc__unset}, summing to 1).
 */
public final class NodeGraph {

  /** The statuses the arcs split nodes by, in the order they are written. */
  public static final List<String> ARC_STATUSES = List.of("ok", "error", "unset");

  private NodeGraph() {}

  /**
   * The page's nodes as node-graph rows, insertion-ordered maps of field name to value.
   *
   * @param nodes the nodes
   * @return one row per node
   */
  public static List<Map<String, Object>> nodes(List<DecisionNode> nodes) {
    List<Map<String, Object>> out = new ArrayList<>(nodes.size());
    for (DecisionNode n : nodes) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", n.id());
      row.put("title", n.label());
      row.put("subTitle", n.kind().wireName() + (n.agent().isEmpty() ? "" : " · " + n.agent()));
      row.put("mainStat", money(n.totalCostUsd()));
      row.put("secondaryStat", n.durationNanos() / 1_000_000 + " ms");
      String status = ARC_STATUSES.contains(n.status()) ? n.status() : "unset";
      for (String s : ARC_STATUSES) {
        row.put("arc__" + s, s.equals(status) ? 1.0 : 0.0);
      }
      row.put("detail__kind", n.kind().wireName());
      row.put("detail__spanId", n.spanId());
      row.put("detail__costUsd", n.costUsd() == null ? "unknown" : n.costUsd().toPlainString());
      row.put("detail__totalCostUsd", n.totalCostUsd().toPlainString());
      row.put("detail__tokens", n.totalUsage().inputTokens() + n.totalUsage().outputTokens());
      NodeDetail d = n.detail();
      putIf(row, "detail__model", d.model());
      putIf(row, "detail__finishReason", d.finishReason());
      if (!d.chosenTools().isEmpty()) {
        row.put(
            "detail__chosenTools",
            String.join(", ", d.chosenTools().stream().map(ToolChoice::name).toList()));
      }
      putIf(row, "detail__tool", d.tool());
      putIf(row, "detail__arguments", d.arguments());
      putIf(row, "detail__from", d.from());
      putIf(row, "detail__to", d.to());
      if (!d.options().isEmpty()) {
        row.put("detail__options", String.join(", ", d.options()));
      }
      putIf(row, "detail__choice", d.choice());
      putIf(row, "detail__reason", d.reason());
      putIf(row, "detail__outcome", d.outcome());
      putIf(row, "detail__by", d.by());
      if (d.waitMs() != null) {
        row.put("detail__waitMs", d.waitMs());
      }
      putIf(row, "detail__error", d.errorType());
      out.add(row);
    }
    return out;
  }

  /**
   * The edges as node-graph rows; {@code mainStat} is the edge's kind.
   *
   * @param edges the edges
   * @return one row per edge
   */
  public static List<Map<String, Object>> edges(List<DecisionEdge> edges) {
    List<Map<String, Object>> out = new ArrayList<>(edges.size());
    for (DecisionEdge e : edges) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", e.id());
      row.put("source", e.source());
      row.put("target", e.target());
      row.put("mainStat", e.kind().wireName());
      out.add(row);
    }
    return out;
  }

  private static String money(BigDecimal usd) {
    return "$" + usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  private static void putIf(Map<String, Object> row, String field, String value) {
    if (!value.isEmpty()) {
      row.put(field, value);
    }
  }
}
