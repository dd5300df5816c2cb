package io.agentledger.core.decision;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.rollup.UsageTotals;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How stores keep a decision tree: one compact JSON document per node, holding the node and the
 * edges that enter it, so a page of nodes is a range of rows and a tree never has to be read whole.
 * Empty fields are left out; short keys keep a 100,000-node tree small.
 */
public final class DecisionJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DecisionJson() {}

  /**
   * A stored row: a node and the edges whose target it is.
   *
   * @param node the node
   * @param incoming the edges that enter it
   */
  public record Row(DecisionNode node, List<DecisionEdge> incoming) {
    public Row {
      incoming = List.copyOf(incoming);
    }
  }

  /**
   * Splits a tree into rows, each node with the edges that enter it, in {@code seq} order.
   *
   * @param tree the tree
   * @return one row per node
   */
  public static List<Row> rows(DecisionTree tree) {
    List<List<DecisionEdge>> incoming = new ArrayList<>(tree.nodes().size());
    java.util.Map<String, Integer> seqOf = new java.util.HashMap<>(tree.nodes().size() * 2);
    for (DecisionNode n : tree.nodes()) {
      seqOf.put(n.id(), n.seq());
      incoming.add(new ArrayList<>(2));
    }
    for (DecisionEdge e : tree.edges()) {
      Integer seq = seqOf.get(e.target());
      if (seq != null) {
        incoming.get(seq).add(e);
      }
    }
    List<Row> rows = new ArrayList<>(tree.nodes().size());
    for (DecisionNode n : tree.nodes()) {
      rows.add(new Row(n, incoming.get(n.seq())));
    }
    return rows;
  }

  /**
   * The row as JSON.
   *
   * @param row the node and its incoming edges
   * @return compact JSON
   */
  public static String write(Row row) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      DecisionNode n = row.node();
      g.writeStartObject();
      g.writeNumberField("q", n.seq());
      g.writeStringField("id", n.id());
      str(g, "p", n.parentId());
      str(g, "r", n.runId());
      g.writeStringField("k", n.kind().wireName());
      str(g, "l", n.label());
      str(g, "a", n.agent());
      str(g, "s", n.spanId());
      g.writeNumberField("t", n.startEpochNanos());
      if (n.durationNanos() != 0) {
        g.writeNumberField("d", n.durationNanos());
      }
      g.writeStringField("st", n.status());
      if (n.costUsd() == null) {
        g.writeNullField("c");
      } else if (n.costUsd().signum() != 0) {
        g.writeNumberField("c", n.costUsd());
      }
      if (n.totalCostUsd().signum() != 0) {
        g.writeNumberField("tc", n.totalCostUsd());
      }
      usage(g, "u", n.usage());
      usage(g, "tu", n.totalUsage());
      if (n.attempt() != 1) {
        g.writeNumberField("n", n.attempt());
      }
      detail(g, n.detail());
      if (!row.incoming().isEmpty()) {
        g.writeArrayFieldStart("in");
        for (DecisionEdge e : row.incoming()) {
          g.writeStartArray();
          g.writeString(e.source());
          g.writeString(e.kind().wireName());
          g.writeEndArray();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Reads a row written by {@link #write}.
   *
   * @param json the stored JSON
   * @return the node and its incoming edges
   * @throws IllegalArgumentException when the text is not such a row
   */
  public static Row read(String json) {
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a decision-tree row", e);
    }
    String id = o.path("id").asText();
    JsonNode cost = o.get("c");
    DecisionNode node =
        new DecisionNode(
            o.path("q").asInt(),
            id,
            o.path("p").asText(""),
            o.path("r").asText(""),
            NodeKind.fromWireName(o.path("k").asText("")),
            o.path("l").asText(""),
            o.path("a").asText(""),
            o.path("s").asText(""),
            o.path("t").asLong(),
            o.path("d").asLong(0),
            o.path("st").asText("unset"),
            cost == null ? BigDecimal.ZERO : cost.isNull() ? null : cost.decimalValue(),
            o.has("tc") ? o.path("tc").decimalValue() : BigDecimal.ZERO,
            usage(o.path("u")),
            usage(o.path("tu")),
            o.path("n").asInt(1),
            detail(o.path("x")));
    List<DecisionEdge> incoming = new ArrayList<>();
    for (JsonNode e : o.path("in")) {
      incoming.add(
          new DecisionEdge(e.path(0).asText(), id, EdgeKind.fromWireName(e.path(1).asText())));
    }
    return new Row(node, incoming);
  }

  private static void detail(JsonGenerator g, NodeDetail d) throws IOException {
    if (d.equals(NodeDetail.NONE)) {
      return;
    }
    g.writeObjectFieldStart("x");
    str(g, "model", d.model());
    str(g, "finishReason", d.finishReason());
    if (!d.chosenTools().isEmpty()) {
      g.writeArrayFieldStart("chosenTools");
      for (ToolChoice c : d.chosenTools()) {
        g.writeStartObject();
        str(g, "id", c.id());
        str(g, "name", c.name());
        str(g, "arguments", c.arguments());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    str(g, "tool", d.tool());
    str(g, "toolCallId", d.toolCallId());
    str(g, "arguments", d.arguments());
    str(g, "server", d.server());
    str(g, "from", d.from());
    str(g, "to", d.to());
    if (!d.options().isEmpty()) {
      g.writeArrayFieldStart("options");
      for (String option : d.options()) {
        g.writeString(option);
      }
      g.writeEndArray();
    }
    str(g, "choice", d.choice());
    str(g, "reason", d.reason());
    if (d.score() != null) {
      g.writeNumberField("score", d.score());
    }
    str(g, "outcome", d.outcome());
    str(g, "by", d.by());
    if (d.waitMs() != null) {
      g.writeNumberField("waitMs", d.waitMs());
    }
    str(g, "errorType", d.errorType());
    str(g, "errorMessage", d.errorMessage());
    g.writeEndObject();
  }

  private static NodeDetail detail(JsonNode x) {
    if (x.isMissingNode()) {
      return NodeDetail.NONE;
    }
    List<ToolChoice> chosen = new ArrayList<>();
    for (JsonNode c : x.path("chosenTools")) {
      chosen.add(
          new ToolChoice(
              c.path("id").asText(""), c.path("name").asText(""), c.path("arguments").asText("")));
    }
    List<String> options = new ArrayList<>();
    x.path("options").forEach(o -> options.add(o.asText()));
    return new NodeDetail(
        x.path("model").asText(""),
        x.path("finishReason").asText(""),
        chosen,
        x.path("tool").asText(""),
        x.path("toolCallId").asText(""),
        x.path("arguments").asText(""),
        x.path("server").asText(""),
        x.path("from").asText(""),
        x.path("to").asText(""),
        options,
        x.path("choice").asText(""),
        x.path("reason").asText(""),
        x.has("score") ? x.path("score").asDouble() : null,
        x.path("outcome").asText(""),
        x.path("by").asText(""),
        x.has("waitMs") ? x.path("waitMs").asLong() : null,
        x.path("errorType").asText(""),
        x.path("errorMessage").asText(""));
  }

  private static void usage(JsonGenerator g, String field, UsageTotals u) throws IOException {
    if (u.equals(UsageTotals.ZERO)) {
      return;
    }
    g.writeArrayFieldStart(field);
    g.writeNumber(u.inputTokens());
    g.writeNumber(u.outputTokens());
    g.writeNumber(u.cacheReadTokens());
    g.writeNumber(u.cacheWriteTokens());
    g.writeNumber(u.reasoningTokens());
    g.writeEndArray();
  }

  private static UsageTotals usage(JsonNode a) {
    if (!a.isArray()) {
      return UsageTotals.ZERO;
    }
    return new UsageTotals(
        a.path(0).asLong(),
        a.path(1).asLong(),
        a.path(2).asLong(),
        a.path(3).asLong(),
        a.path(4).asLong());
  }

  private static void str(JsonGenerator g, String field, @Nullable String value)
      throws IOException {
    if (value != null && !value.isEmpty()) {
      g.writeStringField(field, value);
    }
  }
}
