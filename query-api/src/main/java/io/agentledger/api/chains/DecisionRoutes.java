package io.agentledger.api.chains;

import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import io.agentledger.core.decision.NodeGraph;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.ChainReader;
import io.agentledger.store.DecisionTreeStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /chains/{traceId}/decisions}: a chain's decision tree, a page at a time. A settled chain's
 * tree is read from the store page by page, never whole; a chain that has not settled yet has its
 * tree built from its spans for the answer (as {@code /chains/{traceId}} rolls it up).
 */
public final class DecisionRoutes {

  private final ChainReader chains;
  private final DecisionTreeStore trees;

  public DecisionRoutes(ChainReader chains, DecisionTreeStore trees) {
    this.chains = chains;
    this.trees = trees;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/chains/{traceId}/decisions",
            "getChainDecisions",
            "The chain's decision tree: agent runs, model calls and the tools they chose, tool"
                + " executions, hand-offs, recorded decisions, human approvals, retries and errors,"
                + " with typed edges (calls, chose, handoff, next, retry); a page of nodes (depth"
                + " first) with the edges that enter them. format=nodegraph answers {nodes, edges,"
                + " nextCursor} in Grafana Node Graph field names (id, title, subTitle, mainStat,"
                + " secondaryStat, arc__ok/error/unset, detail__*; edges id, source, target,"
                + " mainStat)",
            List.of(
                ApiParam.path("traceId", "32 hex digits"),
                ApiParam.query("format", "string", "json (default) or nodegraph"),
                ApiParam.query(
                    "limit",
                    "integer",
                    "nodes per page, 1-"
                        + DecisionTreePage.MAX_LIMIT
                        + " (default "
                        + DecisionTreePage.DEFAULT_LIMIT
                        + ")"),
                ApiParam.query("cursor", "string", "nextCursor of the previous page")),
            DecisionTreeView.class,
            this::decisions));
  }

  private void decisions(Context ctx) {
    String traceId = Params.traceId(ctx);
    boolean nodeGraph = nodeGraph(ctx.queryParam("format"));
    int limit = Params.limit(ctx, DecisionTreePage.DEFAULT_LIMIT, DecisionTreePage.MAX_LIMIT);
    int after;
    try {
      after = DecisionTreePage.afterSeq(ctx.queryParam("cursor"));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("invalid cursor: " + e.getMessage());
    }
    String project = RequestProject.of(ctx);
    Optional<DecisionTreePage> stored = trees.decisionTreePage(project, traceId, after, limit);
    DecisionTreePage page = stored.orElseGet(() -> unsettled(project, traceId).page(after, limit));
    if (nodeGraph) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("nodes", NodeGraph.nodes(page.nodes()));
      body.put("edges", NodeGraph.edges(page.edges()));
      page.nextCursor().ifPresent(c -> body.put("nextCursor", c));
      ctx.json(body);
    } else {
      ctx.json(DecisionTreeView.of(page, stored.isPresent()));
    }
  }

  private static boolean nodeGraph(@org.jspecify.annotations.Nullable String format) {
    String f = format == null ? "" : format.trim().toLowerCase(Locale.ROOT);
    return switch (f) {
      case "", "json" -> false;
      case "nodegraph" -> true;
      default -> throw Problem.badRequest("'format' must be 'json' or 'nodegraph'");
    };
  }

  /** The tree of a chain not settled yet, from its stored spans; 404 for an unknown chain. */
  private DecisionTree unsettled(String project, String traceId) {
    List<AgentSpan> spans = chains.chainSpans(project, traceId);
    if (spans.isEmpty()) {
      // Another project's chain answers the same: its existence is not disclosed.
      throw Problem.notFound("no chain " + traceId);
    }
    return DecisionTree.of(ChainRollup.compute(spans));
  }
}
