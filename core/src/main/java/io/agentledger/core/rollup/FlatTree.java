package io.agentledger.core.rollup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.span.AgentSpan;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chain's cost tree flattened depth first, one {@link Node} per span, each knowing its depth and
 * where its subtree ends. This is how a large chain's tree is stored when it settles and read back
 * a level or a range at a time: the subtree of the node numbered {@code s} is exactly the nodes
 * numbered {@code s..subtreeEnd}, so "the children of X" and "the whole tree, in order" are key
 * ranges and never need the tree in memory.
 *
 * @param traceId the chain
 * @param spanRows how many stored span rows the roll-up read
 * @param byAgent the roll-up's cost by agent
 * @param byModel the roll-up's cost by model
 * @param nodes every node, numbered 0.. in depth-first order (the true root first, then orphans)
 */
public record FlatTree(
    String traceId,
    int spanRows,
    List<AgentCost> byAgent,
    List<ModelCost> byModel,
    List<FlatTree.Node> nodes) {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public FlatTree {
    byAgent = List.copyOf(byAgent);
    byModel = List.copyOf(byModel);
    nodes = List.copyOf(nodes);
  }

  /**
   * One span of the tree with its place in it.
   *
   * @param seq the depth-first number, from 0
   * @param depth 0 for roots
   * @param childCount how many children it has
   * @param subtreeEnd the number of the last node of its subtree ({@code seq} for a leaf)
   * @param spanId the span
   * @param parentSpanId its parent's span id, empty for a root
   * @param name the span's name
   * @param type the span type's wire name
   * @param agent the agent its cost is attributed to
   * @param provider the model provider, or empty
   * @param model the model, or empty
   * @param toolName the tool, or empty
   * @param startEpochNanos the span's start
   * @param durationNanos its duration
   * @param status {@code ok}, {@code unset} or {@code error}
   * @param usage its own usage
   * @param costUsd its own counted cost: zero when not counted, null when counted and unknown
   * @param totalCostUsd own plus every descendant's known cost
   * @param costSource the cost source's wire name, or {@code rollup}
   * @param pricedAs the price-catalog entry used, when one was
   * @param costDetail how the cost was obtained
   */
  public record Node(
      int seq,
      int depth,
      int childCount,
      int subtreeEnd,
      String spanId,
      String parentSpanId,
      String name,
      String type,
      String agent,
      String provider,
      String model,
      String toolName,
      long startEpochNanos,
      long durationNanos,
      String status,
      UsageTotals usage,
      @Nullable BigDecimal costUsd,
      BigDecimal totalCostUsd,
      String costSource,
      @Nullable String pricedAs,
      String costDetail) {

    /**
     * A roll-up tree node's own fields, placed at {@code seq}.
     *
     * @param n the roll-up's node
     * @param seq its depth-first number
     * @param depth its depth
     * @param subtreeEnd the number of its subtree's last node
     * @return the flat node
     */
    public static Node of(TreeNode n, int seq, int depth, int subtreeEnd) {
      AgentSpan s = n.span();
      return new Node(
          seq,
          depth,
          n.children().size(),
          subtreeEnd,
          s.spanId(),
          s.parentSpanId(),
          s.name(),
          s.type().wireName(),
          n.agent(),
          s.semantics().provider(),
          s.semantics().model(),
          s.semantics().toolName(),
          s.startEpochNanos(),
          s.durationNanos(),
          s.status().isError() ? "error" : s.status().code().wireName(),
          UsageTotals.of(s.usage()),
          n.costUsd(),
          n.totalCostUsd(),
          n.rollup() ? "rollup" : s.cost().source().wireName(),
          s.cost().pricedAs(),
          s.cost().detail());
    }
  }

  /**
   * What a stored tree says about its chain besides the nodes.
   *
   * @param nodeCount how many nodes the tree has
   * @param spanRows how many stored span rows the roll-up read
   * @param byAgent cost by agent
   * @param byModel cost by model
   */
  public record Head(
      int nodeCount, int spanRows, List<AgentCost> byAgent, List<ModelCost> byModel) {
    public Head {
      byAgent = List.copyOf(byAgent);
      byModel = List.copyOf(byModel);
    }
  }

  /**
   * Flattens a roll-up's tree, depth first, without recursion (chains can be thousands deep).
   *
   * @param rollup the chain's roll-up
   * @param spanRows how many stored span rows it was computed from
   * @return the flat tree
   */
  public static FlatTree of(ChainRollupResult rollup, int spanRows) {
    List<TreeNode> order = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    List<Integer> parents = new ArrayList<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    List<TreeNode> roots = rollup.roots();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Object[] {roots.get(i), 0, -1});
    }
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      TreeNode n = (TreeNode) top[0];
      int seq = order.size();
      order.add(n);
      depths.add((Integer) top[1]);
      parents.add((Integer) top[2]);
      for (int i = n.children().size() - 1; i >= 0; i--) {
        stack.push(new Object[] {n.children().get(i), (Integer) top[1] + 1, seq});
      }
    }
    int[] end = new int[order.size()];
    for (int i = 0; i < end.length; i++) {
      end[i] = i;
    }
    // Children come after their parent: walking backwards, each subtree's end is final before the
    // parent reads it.
    for (int i = end.length - 1; i >= 0; i--) {
      int p = parents.get(i);
      if (p >= 0) {
        end[p] = Math.max(end[p], end[i]);
      }
    }
    List<Node> nodes = new ArrayList<>(order.size());
    for (int i = 0; i < end.length; i++) {
      nodes.add(Node.of(order.get(i), i, depths.get(i), end[i]));
    }
    return new FlatTree(
        rollup.summary().traceId(), spanRows, rollup.byAgent(), rollup.byModel(), nodes);
  }

  /**
   * The tree's head.
   *
   * @return node count, span rows and breakdowns
   */
  public Head head() {
    return new Head(nodes.size(), spanRows, byAgent, byModel);
  }

  /**
   * A node as stored: JSON.
   *
   * @param node the node
   * @return its JSON
   */
  public static String write(Node node) {
    return json(node);
  }

  /**
   * Reads what {@link #write(Node)} wrote.
   *
   * @param json the stored JSON
   * @return the node
   */
  public static Node readNode(String json) {
    return read(json, Node.class);
  }

  /**
   * A head as stored: JSON.
   *
   * @param head the head
   * @return its JSON
   */
  public static String write(Head head) {
    return json(head);
  }

  /**
   * Reads what {@link #write(Head)} wrote.
   *
   * @param json the stored JSON
   * @return the head
   */
  public static Head readHead(String json) {
    return read(json, Head.class);
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a cost tree", e);
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read a stored cost tree", e);
    }
  }
}
