package io.agentledger.api.analysis;

import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Json;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.store.PathQueries;
import io.agentledger.store.RunStore;
import io.agentledger.store.TimeRange;
import io.agentledger.store.paths.PathGroup;
import io.agentledger.store.paths.PathNode;
import io.agentledger.store.paths.PathTrees;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /agents/{agent}/paths}: the prefix tree of the steps an agent's runs took, built from
 * the store's per-path groups ({@link PathQueries}), never from every run.
 */
public final class PathRoutes {

  /** Branches under 1 % of the runs fold into "other" unless the request says otherwise. */
  static final double DEFAULT_MIN_SHARE = 0.01;

  /** Whether an agent has runs at all: since 1970 (ClickHouse keeps times from 1900 to 2262). */
  private static final TimeRange ALL_TIME =
      new TimeRange(Instant.EPOCH, Instant.ofEpochSecond(0, Long.MAX_VALUE));

  private final PathQueries paths;
  private final RunStore runs;
  private final Clock clock;

  public PathRoutes(PathQueries paths, RunStore runs, Clock clock) {
    this.paths = paths;
    this.runs = runs;
    this.clock = clock;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/agents/{agent}/paths",
            "getAgentPaths",
            "The prefix tree of the steps an agent's runs took, with runs, share, cost, latency"
                + " and errors per branch",
            List.of(
                ApiParam.path("agent", "agent name"),
                ApiParam.query(
                    "from",
                    "date-time",
                    "runs that started here or later; default: 7 days before 'to'"),
                ApiParam.query("to", "date-time", "runs that started before this; default: now"),
                ApiParam.query(
                    "version", "string", "only runs of this agent version; default: every version"),
                ApiParam.query(
                    "compare",
                    "string",
                    "another version: adds its tree, folded alike, and per-branch share deltas (needs 'version')"),
                ApiParam.query(
                    "minShare",
                    "number",
                    "branches with a smaller share of all runs fold into one 'other' branch; 0 to 1, default 0.01")),
            PathsView.class,
            this::paths));
  }

  private void paths(Context ctx) {
    String project = RequestProject.of(ctx);
    String agent = ctx.pathParam("agent").trim();
    TimeRange range = Params.range(ctx, clock, Duration.ofDays(7));
    String version = Params.string(ctx, "version");
    String compare = Params.string(ctx, "compare");
    double minShare = minShare(ctx);
    if (!compare.isEmpty() && version.isEmpty()) {
      throw Problem.badRequest("'compare' needs 'version': the version to compare it with");
    }
    String rootStep = "agent:" + agent;
    List<PathGroup> groups = paths.pathGroups(project, agent, version, range);
    if (groups.isEmpty() && runs.runs(project, agent, "", ALL_TIME, 1).isEmpty()) {
      throw Problem.notFound("agent '" + agent + "' has no runs in this project");
    }
    if (compare.isEmpty()) {
      PathNode root = PathTrees.tree(rootStep, groups, minShare);
      ctx.json(new PathsView(agent, Json.orNull(version), root.runs(), root, null));
      return;
    }
    PathTrees.Comparison c =
        PathTrees.compare(
            rootStep, groups, paths.pathGroups(project, agent, compare, range), minShare);
    ctx.json(
        new PathsView(
            agent,
            version,
            c.tree().runs(),
            c.tree(),
            new PathsView.Compared(compare, c.compared().runs(), c.compared())));
  }

  private static double minShare(Context ctx) {
    String raw = Params.string(ctx, "minShare");
    if (raw.isEmpty()) {
      return DEFAULT_MIN_SHARE;
    }
    try {
      double v = Double.parseDouble(raw);
      if (v >= 0 && v <= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // the problem below
    }
    throw Problem.badRequest("'minShare' must be a number between 0 and 1");
  }

  /**
   * An agent's paths: {@code root} is the tree of the runs asked for (its step is {@code
   * agent:<name>}); with {@code compare}, {@code compare} holds the other version's tree, and every
   * branch of both carries {@code shareDelta} (its share in {@code version} minus its share in
   * {@code compare}).
   */
  public record PathsView(
      String agent,
      @Nullable String version,
      long runs,
      PathNode root,
      @Nullable Compared compare) {

    /** The version compared against. */
    public record Compared(String version, long runs, PathNode root) {}
  }
}
