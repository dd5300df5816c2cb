package io.agentledger.api.chains;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.agentledger.api.http.Json;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.Views;
import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.FlatTree;
import io.agentledger.core.rollup.ModelCost;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.ChainReader;
import io.agentledger.store.CostTreeStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /chains/{traceId}?depth&parent}: the chain's tree opened lazily, a few levels at a
 * time below the roots or below one span, or whole ({@code depth=all}), written to the client as it
 * is read. A large settled chain's tree is read from its stored flat tree ({@link CostTreeStore}) a
 * key range at a time, so neither the summary nor a level needs the chain's spans, and the whole
 * tree is streamed without ever being held; any other chain is rolled up from its spans for the
 * answer, exactly as the default answer does.
 */
final class TreeLevels {

  /** {@code depth=all}: every level. */
  static final int ALL = Integer.MAX_VALUE;

  private static final ObjectMapper MAPPER = Json.mapper();

  private final ChainReader chains;
  private final CostTreeStore trees;

  TreeLevels(ChainReader chains, CostTreeStore trees) {
    this.chains = chains;
    this.trees = trees;
  }

  /**
   * Writes the answer.
   *
   * @param levels how many levels below the roots (or below {@code parent}) to include; {@link
   *     #ALL} for all, 0 for none (summary and breakdowns only)
   * @param parent the span whose subtree is wanted, or empty for the roots
   * @param maxSpans most nodes in the answer unless {@code levels} is {@link #ALL}
   */
  void answer(
      Context ctx,
      String project,
      String traceId,
      int levels,
      Optional<String> parent,
      int maxSpans)
      throws IOException {
    Source source = stored(project, traceId).orElseGet(() -> rolledUp(project, traceId));
    int from = 0;
    int to = source.nodeCount() - 1;
    int base = 0;
    if (parent.isPresent()) {
      FlatTree.Node p =
          source
              .node(parent.get())
              .orElseThrow(
                  () -> Problem.notFound("no span " + parent.get() + " in chain " + traceId));
      from = p.seq() + 1;
      to = p.subtreeEnd();
      base = p.depth() + 1;
    }
    int maxDepth = levels == ALL ? ALL : base + levels - 1;
    long limit = levels == ALL ? Long.MAX_VALUE : maxSpans;
    ctx.contentType("application/json");
    try (OutputStream out = ctx.outputStream();
        JsonGenerator gen = MAPPER.createGenerator(out)) {
      gen.writeStartObject();
      JsonNode summary = MAPPER.valueToTree(Views.ChainSummaryView.of(source.summary()));
      for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        gen.writeFieldName(field.getKey());
        gen.writeTree(field.getValue());
      }
      gen.writeFieldName("byAgent");
      MAPPER.writeValue(gen, source.byAgent().stream().map(Views.AgentCostView::of).toList());
      gen.writeFieldName("byModel");
      MAPPER.writeValue(gen, source.byModel().stream().map(Views.ModelCostView::of).toList());
      gen.writeArrayFieldStart("tree");
      long written = levels == 0 ? 0 : writeNodes(gen, source, from, to, base, maxDepth, limit);
      gen.writeEndArray();
      gen.writeNumberField("treeSpans", written);
      gen.writeBooleanField("treeTruncated", written < (long) to - from + 1);
      gen.writeEndObject();
    }
  }

  /**
   * Writes the nodes numbered {@code from..to} at depths {@code base..maxDepth} as nested JSON, a
   * read at a time: a node's object stays open until a node no deeper than it arrives.
   */
  private static long writeNodes(
      JsonGenerator gen, Source source, int from, int to, int base, int maxDepth, long limit)
      throws IOException {
    SerializerProvider provider = MAPPER.getSerializerProviderInstance();
    Deque<Integer> open = new ArrayDeque<>();
    long written = 0;
    int next = from;
    while (next <= to && written < limit) {
      int want = (int) Math.min(CostTreeStore.MAX_NODES_PER_READ, limit - written);
      List<FlatTree.Node> page = source.nodes(next, to, base, maxDepth, want);
      for (FlatTree.Node n : page) {
        while (!open.isEmpty() && open.peek() >= n.depth()) {
          gen.writeEndArray();
          gen.writeEndObject();
          open.pop();
        }
        TreeNodeView.IterativeSerializer.writeFields(
            TreeNodeView.of(n, List.of(), 0), gen, provider);
        if (n.depth() == maxDepth && n.childCount() > 0) {
          gen.writeNumberField("omittedChildren", n.childCount());
        }
        gen.writeArrayFieldStart("children");
        open.push(n.depth());
        written++;
      }
      if (page.size() < want) {
        break;
      }
      next = page.get(page.size() - 1).seq() + 1;
      gen.flush();
    }
    while (!open.isEmpty()) {
      gen.writeEndArray();
      gen.writeEndObject();
      open.pop();
    }
    return written;
  }

  /** The chain's stored tree, when it has one and its settled summary. */
  private Optional<Source> stored(String project, String traceId) {
    Optional<FlatTree.Head> head = trees.costTreeHead(project, traceId);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    return chains
        .chainSummary(project, traceId)
        .map(summary -> new StoredSource(trees, project, traceId, summary, head.get()));
  }

  /** The chain rolled up now from its spans; 404 for an unknown chain. */
  private Source rolledUp(String project, String traceId) {
    List<AgentSpan> spans = chains.chainSpans(project, traceId);
    if (spans.isEmpty()) {
      // Another project's chain answers the same: its existence is not disclosed.
      throw Problem.notFound("no chain " + traceId);
    }
    ChainRollupResult rollup = ChainRollup.compute(spans);
    return new MemorySource(rollup.summary(), FlatTree.of(rollup, spans.size()));
  }

  /** Where a tree's nodes come from: the store, or a roll-up made for the answer. */
  private interface Source {
    ChainSummary summary();

    List<AgentCost> byAgent();

    List<ModelCost> byModel();

    int nodeCount();

    Optional<FlatTree.Node> node(String spanId);

    List<FlatTree.Node> nodes(int from, int to, int minDepth, int maxDepth, int limit);
  }

  private record StoredSource(
      CostTreeStore trees, String project, String traceId, ChainSummary summary, FlatTree.Head head)
      implements Source {

    @Override
    public List<AgentCost> byAgent() {
      return head.byAgent();
    }

    @Override
    public List<ModelCost> byModel() {
      return head.byModel();
    }

    @Override
    public int nodeCount() {
      return head.nodeCount();
    }

    @Override
    public Optional<FlatTree.Node> node(String spanId) {
      return trees.costTreeNode(project, traceId, spanId);
    }

    @Override
    public List<FlatTree.Node> nodes(int from, int to, int minDepth, int maxDepth, int limit) {
      return trees.costTreeNodes(project, traceId, from, to, minDepth, maxDepth, limit);
    }
  }

  private record MemorySource(ChainSummary summary, FlatTree tree) implements Source {

    @Override
    public List<AgentCost> byAgent() {
      return tree.byAgent();
    }

    @Override
    public List<ModelCost> byModel() {
      return tree.byModel();
    }

    @Override
    public int nodeCount() {
      return tree.nodes().size();
    }

    @Override
    public Optional<FlatTree.Node> node(String spanId) {
      return tree.nodes().stream().filter(n -> n.spanId().equals(spanId)).findFirst();
    }

    @Override
    public List<FlatTree.Node> nodes(int from, int to, int minDepth, int maxDepth, int limit) {
      List<FlatTree.Node> out = new ArrayList<>();
      for (int i = Math.max(0, from);
          i <= to && i < tree.nodes().size() && out.size() < limit;
          i++) {
        FlatTree.Node n = tree.nodes().get(i);
        if (n.depth() >= minDepth && n.depth() <= maxDepth) {
          out.add(n);
        }
      }
      return out;
    }
  }
}
