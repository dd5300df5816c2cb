package io.agentledger.api.chains;

import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.api.http.Views;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.ChainCursor;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.ChainReader;
import io.agentledger.store.CostTreeStore;
import io.agentledger.store.Page;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** {@code /chains}: list, detail with the cost tree ({@link DecisionRoutes} has the decisions). */
public final class ChainRoutes {

  /** Without {@code from}, listings cover the last seven days. */
  static final Duration DEFAULT_SPAN = Duration.ofDays(7);

  /** The most levels {@code depth} may ask for by number ({@code all} asks for every one). */
  static final int MAX_LEVELS = 1_000_000;

  private final ChainReader store;
  private final Clock clock;
  private final int maxSpans;
  private final TreeLevels levels;

  /**
   * @param maxSpans most spans in a chain's tree answer (the {@code maxSpans} parameter's ceiling)
   */
  public ChainRoutes(ChainReader store, CostTreeStore trees, Clock clock, int maxSpans) {
    this.store = store;
    this.clock = clock;
    this.maxSpans = maxSpans;
    this.levels = new TreeLevels(store, trees);
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/chains",
            "listChains",
            "Chains (traces) with their cost, newest or most expensive first",
            List.of(
                ApiParam.query(
                    "from",
                    "date-time",
                    "chains starting at or after (ISO-8601 or epoch ms); default: 7 days before 'to'"),
                ApiParam.query("to", "date-time", "chains starting before (default: now)"),
                ApiParam.query("service", "string", "root service name"),
                ApiParam.query("agent", "string", "the chain's agent"),
                ApiParam.query("sessionId", "string", "conversation id"),
                ApiParam.query("userId", "string", "user id"),
                ApiParam.query(
                    "workflowId",
                    "string",
                    "workflow run (Temporal workflow id, Inngest run id, LangGraph thread id)"),
                ApiParam.query("minCostUsd", "number", "at least this many dollars"),
                ApiParam.query("order", "string", "start (default) or cost"),
                ApiParam.query(
                    "limit",
                    "integer",
                    "page size, 1-"
                        + ChainQuery.MAX_LIMIT
                        + " (default "
                        + ChainQuery.DEFAULT_LIMIT
                        + ")"),
                ApiParam.query("cursor", "string", "nextCursor of the previous page")),
            ChainPage.class,
            this::list),
        ApiRoute.get(
            "/chains/{traceId}",
            "getChain",
            "One chain: totals without double counting, cost by agent and model, and the cost tree."
                + " A tree with more spans than maxSpans is cut breadth first: treeTruncated is"
                + " true and every node that lost children says how many in omittedChildren;"
                + " totals and breakdowns still cover every span. With depth or parent the tree"
                + " opens lazily: depth levels below the roots (or below the span named by"
                + " parent, whose children are then the tree), each node at the last level"
                + " saying in omittedChildren how many children a request with parent=<its"
                + " spanId> would return; depth=0 answers the summary and breakdowns alone, and"
                + " depth=all streams the whole tree (no maxSpans cut) without loading it."
                + " A large settled chain is answered from its stored tree, so the summary and"
                + " a level cost a few key lookups whatever the chain's size",
            List.of(
                ApiParam.path("traceId", "32 hex digits"),
                ApiParam.query(
                    "maxSpans",
                    "integer",
                    "most spans in the tree, 1-" + maxSpans + " (default " + maxSpans + ")"),
                ApiParam.query(
                    "depth",
                    "string",
                    "levels of the tree to include: 0 (summary only), 1 (the roots, or parent's"
                        + " children), 2, ..., or 'all' (streamed whole); default: the whole"
                        + " tree cut at maxSpans, or 1 with parent"),
                ApiParam.query(
                    "parent",
                    "string",
                    "a span id of the chain: the tree is this span's children (and depth-1"
                        + " levels below them); 404 when the chain has no such span")),
            ChainView.class,
            this::detail));
  }

  private void list(Context ctx) {
    String project = RequestProject.of(ctx);
    ChainQuery query =
        new ChainQuery(
            Params.range(ctx, clock, DEFAULT_SPAN),
            Params.filter(ctx, "service"),
            Params.filter(ctx, "agent"),
            Params.filter(ctx, "sessionId"),
            Params.filter(ctx, "userId"),
            Params.filter(ctx, "workflowId"),
            Params.decimal(ctx, "minCostUsd"),
            order(Params.string(ctx, "order")),
            Params.limit(ctx, ChainQuery.DEFAULT_LIMIT, ChainQuery.MAX_LIMIT),
            Optional.ofNullable(ctx.queryParam("cursor")).filter(c -> !c.isBlank()));
    query
        .cursor()
        .ifPresent(
            c -> {
              try {
                ChainCursor.decode(c, query.order());
              } catch (IllegalArgumentException e) {
                throw Problem.badRequest("invalid cursor: " + e.getMessage());
              }
            });
    Page<ChainSummary> page;
    try {
      page = store.chains(project, query);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("invalid cursor: " + e.getMessage());
    }
    ctx.json(
        new ChainPage(
            page.items().stream().map(Views.ChainSummaryView::of).toList(),
            page.nextCursor().orElse(null)));
  }

  private static ChainQuery.Order order(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "", "start" -> ChainQuery.Order.START;
      case "cost" -> ChainQuery.Order.COST;
      default -> throw Problem.badRequest("'order' must be 'start' or 'cost'");
    };
  }

  private void detail(Context ctx) throws java.io.IOException {
    String traceId = Params.traceId(ctx);
    int limit = Params.intInRange(ctx, "maxSpans", maxSpans, 1, maxSpans);
    String depth = Params.string(ctx, "depth");
    Optional<String> parent = Optional.of(Params.string(ctx, "parent")).filter(p -> !p.isEmpty());
    if (!depth.isEmpty() || parent.isPresent()) {
      levels.answer(
          ctx, RequestProject.of(ctx), traceId, depth.isEmpty() ? 1 : levels(depth), parent, limit);
      return;
    }
    ChainRollupResult result = rollup(RequestProject.of(ctx), traceId);
    List<TreeNodeView> tree = TreeNodeView.of(result.roots(), limit);
    int treeSpans = countNodes(tree);
    ctx.json(
        new ChainView(
            Views.ChainSummaryView.of(result.summary()),
            result.byAgent().stream().map(Views.AgentCostView::of).toList(),
            result.byModel().stream().map(Views.ModelCostView::of).toList(),
            tree,
            treeSpans,
            treeSpans < countNodes(result.roots(), TreeNode::children)));
  }

  /** {@code depth}: a count of levels, or {@code all}. */
  private static int levels(String depth) {
    if (depth.equalsIgnoreCase("all")) {
      return TreeLevels.ALL;
    }
    try {
      int n = Integer.parseInt(depth);
      if (n >= 0 && n <= MAX_LEVELS) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the problem below
    }
    throw Problem.badRequest(
        "'depth' must be an integer between 0 and " + MAX_LEVELS + ", or 'all'");
  }

  private static int countNodes(List<TreeNodeView> roots) {
    return countNodes(roots, TreeNodeView::children);
  }

  private static <T> int countNodes(List<T> roots, Function<T, List<T>> children) {
    int n = 0;
    Deque<T> stack = new ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      n++;
      children.apply(stack.pop()).forEach(stack::push);
    }
    return n;
  }

  /** The chain rolled up now from its stored spans, so it is exact even before it settles. */
  private ChainRollupResult rollup(String project, String traceId) {
    List<AgentSpan> spans = store.chainSpans(project, traceId);
    if (spans.isEmpty()) {
      // Another project's chain answers the same: its existence is not disclosed.
      throw Problem.notFound("no chain " + traceId);
    }
    return ChainRollup.compute(spans);
  }
}
