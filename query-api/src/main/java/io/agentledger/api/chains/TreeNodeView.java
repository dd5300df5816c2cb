package io.agentledger.api.chains;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.agentledger.api.http.Json;
import io.agentledger.api.http.Views;
import io.agentledger.core.rollup.FlatTree;
import io.agentledger.core.rollup.TreeNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A span in the chain's cost tree.
 *
 * @param costUsd the span's own counted cost: 0 for roll-ups and spans without cost, null when the
 *     span counts but its cost is unknown
 * @param totalCostUsd own plus every descendant's known cost
 * @param costSource {@code reported}, {@code computed}, {@code estimated}, {@code unknown}, {@code
 *     none} (no cost of its own) or {@code rollup} (its usage repeats its descendants' and is not
 *     counted)
 * @param pricedAs the price-catalog entry used, when one was
 * @param costDetail how the number was obtained (tier, estimation, unknown model, ...)
 * @param omittedChildren children left out of {@code children} because the answer reached its span
 *     limit ({@code maxSpans}); {@code totalCostUsd} still includes them. Written only when above
 *     zero
 */
@JsonSerialize(using = TreeNodeView.IterativeSerializer.class)
public record TreeNodeView(
    String spanId,
    @Nullable String parentSpanId,
    String name,
    String type,
    @Nullable String agent,
    @Nullable String provider,
    @Nullable String model,
    @Nullable String toolName,
    Instant startTime,
    long durationMs,
    String status,
    Views.Usage usage,
    @Nullable BigDecimal costUsd,
    @Nullable BigDecimal totalCostUsd,
    String costSource,
    @Nullable String pricedAs,
    @Nullable String costDetail,
    List<TreeNodeView> children,
    int omittedChildren) {

  /** Converts a roll-up tree without recursion (chains can be thousands of spans deep). */
  static List<TreeNodeView> of(List<TreeNode> roots) {
    return of(roots, Integer.MAX_VALUE);
  }

  /**
   * Converts at most {@code maxNodes} spans of a roll-up tree, the shallowest first (breadth
   * first), so a truncated tree keeps its top; each node counts the children it leaves out.
   */
  static List<TreeNodeView> of(List<TreeNode> roots, int maxNodes) {
    Set<TreeNode> included = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<TreeNode> queue = new ArrayDeque<>(roots);
    while (!queue.isEmpty() && included.size() < maxNodes) {
      TreeNode node = queue.poll();
      included.add(node);
      queue.addAll(node.children());
    }
    Map<TreeNode, TreeNodeView> done = new IdentityHashMap<>();
    Deque<TreeNode> stack = new ArrayDeque<>();
    roots.stream().filter(included::contains).forEach(stack::add);
    while (!stack.isEmpty()) {
      TreeNode node = stack.peek();
      boolean childrenDone = true;
      for (TreeNode child : node.children()) {
        if (included.contains(child) && !done.containsKey(child)) {
          stack.push(child);
          childrenDone = false;
        }
      }
      if (childrenDone) {
        stack.pop();
        List<TreeNodeView> children = new ArrayList<>(node.children().size());
        node.children().stream()
            .filter(included::contains)
            .forEach(c -> children.add(done.remove(c)));
        done.put(node, view(node, children, node.children().size() - children.size()));
      }
    }
    List<TreeNodeView> out = new ArrayList<>(roots.size());
    roots.stream().filter(included::contains).forEach(r -> out.add(done.get(r)));
    return out;
  }

  private static TreeNodeView view(TreeNode node, List<TreeNodeView> children, int omitted) {
    return of(FlatTree.Node.of(node, 0, 0, 0), children, omitted);
  }

  /**
   * A flat tree's node as a view: the one place a node's fields become the API's, for trees rolled
   * up at request time and stored trees alike.
   */
  static TreeNodeView of(FlatTree.Node n, List<TreeNodeView> children, int omitted) {
    return new TreeNodeView(
        n.spanId(),
        Json.orNull(n.parentSpanId()),
        n.name(),
        n.type(),
        Json.orNull(n.agent()),
        Json.orNull(n.provider()),
        Json.orNull(n.model()),
        Json.orNull(n.toolName()),
        Json.instant(n.startEpochNanos()),
        n.durationNanos() / 1_000_000,
        n.status(),
        Views.Usage.of(n.usage()),
        Json.usd(n.costUsd()),
        Json.usd(n.totalCostUsd()),
        n.costSource(),
        n.pricedAs(),
        Json.orNull(n.costDetail()),
        List.copyOf(children),
        omitted);
  }

  /** Writes the tree with an explicit stack, so depth is limited by memory, not the call stack. */
  static final class IterativeSerializer extends JsonSerializer<TreeNodeView> {
    @Override
    public void serialize(TreeNodeView root, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      Deque<Object> work = new ArrayDeque<>();
      work.push(root);
      while (!work.isEmpty()) {
        Object item = work.pop();
        if (item instanceof Runnable close) {
          close.run();
          continue;
        }
        TreeNodeView n = (TreeNodeView) item;
        writeFields(n, gen, provider);
        if (n.omittedChildren() > 0) {
          gen.writeNumberField("omittedChildren", n.omittedChildren());
        }
        gen.writeArrayFieldStart("children");
        work.push(
            (Runnable)
                () -> {
                  try {
                    gen.writeEndArray();
                    gen.writeEndObject();
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
        for (int i = n.children().size() - 1; i >= 0; i--) {
          work.push(n.children().get(i));
        }
      }
    }

    static void writeFields(TreeNodeView n, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      gen.writeStringField("spanId", n.spanId());
      gen.writeStringField("parentSpanId", n.parentSpanId());
      gen.writeStringField("name", n.name());
      gen.writeStringField("type", n.type());
      gen.writeStringField("agent", n.agent());
      gen.writeStringField("provider", n.provider());
      gen.writeStringField("model", n.model());
      gen.writeStringField("toolName", n.toolName());
      gen.writeFieldName("startTime");
      provider.defaultSerializeValue(n.startTime(), gen);
      gen.writeNumberField("durationMs", n.durationMs());
      gen.writeStringField("status", n.status());
      gen.writeFieldName("usage");
      provider.defaultSerializeValue(n.usage(), gen);
      gen.writeFieldName("costUsd");
      provider.defaultSerializeValue(n.costUsd(), gen);
      gen.writeFieldName("totalCostUsd");
      provider.defaultSerializeValue(n.totalCostUsd(), gen);
      gen.writeStringField("costSource", n.costSource());
      gen.writeStringField("pricedAs", n.pricedAs());
      gen.writeStringField("costDetail", n.costDetail());
    }
  }
}
