package io.agentledger.api.costs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Json;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.api.http.Views;
import io.agentledger.core.rollup.UsageTotals;
import io.agentledger.store.AgentStats;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQueries;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.SessionReport;
import io.agentledger.store.TimeRange;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code /costs}, {@code /sessions/{sessionId}}, {@code /workflows/{workflowId}} and {@code
 * /agents}: money over many chains.
 */
public final class CostRoutes {

  static final Duration DEFAULT_SPAN = Duration.ofDays(1);

  /** More buckets than this in one answer is a mistake (a year by the minute). */
  static final long MAX_BUCKETS = 10_000;

  private final CostQueries store;
  private final Clock clock;
  private final int maxCells;

  /**
   * @param maxCells most groups × time buckets in one {@code /costs} answer (400 above)
   */
  public CostRoutes(CostQueries store, Clock clock, int maxCells) {
    this.store = store;
    this.clock = clock;
    this.maxCells = maxCells;
  }

  public List<ApiRoute> routes() {
    String dimensions =
        String.join(
            ", ", Arrays.stream(CostDimension.values()).map(CostDimension::apiName).toList());
    return List.of(
        ApiRoute.get(
            "/costs",
            "getCosts",
            "Cost of model calls grouped by any of: "
                + dimensions
                + ". An answer of more than "
                + maxCells
                + " groups × time buckets is refused with 400: narrow the range, use a larger"
                + " interval or fewer groupBy keys",
            costParams(dimensions),
            CostsView.class,
            this::costs),
        ApiRoute.get(
            "/sessions/{sessionId}",
            "getSession",
            "A conversation's cost over all its chains",
            List.of(ApiParam.path("sessionId", "the conversation (session) id")),
            SessionView.class,
            this::session),
        ApiRoute.get(
            "/workflows/{workflowId}",
            "getWorkflow",
            "A workflow run's cost over all its chains: a Temporal workflow id, an Inngest run id"
                + " or a LangGraph thread id (docs/normalization.md lists the attributes read)",
            List.of(ApiParam.path("workflowId", "the workflow run id")),
            WorkflowView.class,
            this::workflow),
        ApiRoute.get(
            "/agents",
            "listAgents",
            "Agents with their cost over a time range",
            List.of(
                ApiParam.query("from", "date-time", "default: 7 days before 'to'"),
                ApiParam.query("to", "date-time", "default: now")),
            AgentsView.class,
            this::agents));
  }

  private static List<ApiParam> costParams(String dimensions) {
    List<ApiParam> params = new ArrayList<>();
    params.add(ApiParam.query("groupBy", "string", "comma-separated: " + dimensions));
    params.add(
        ApiParam.query(
            "from", "date-time", "calls starting at or after (default: 24 hours before 'to')"));
    params.add(ApiParam.query("to", "date-time", "calls starting before (default: now)"));
    params.add(
        ApiParam.query("interval", "string", "bucket size for a time series, e.g. 5m, 1h, 1d"));
    for (CostDimension d : CostDimension.values()) {
      params.add(
          ApiParam.query(
              d.apiName(),
              "string",
              "only calls whose " + d.apiName() + " is this (as a group key shows it; * for any)"));
    }
    return params;
  }

  private void costs(Context ctx) {
    List<CostDimension> groupBy = groupBy(Params.string(ctx, "groupBy"));
    TimeRange range = Params.range(ctx, clock, DEFAULT_SPAN);
    Optional<Duration> interval = Params.duration(ctx, "interval");
    interval.ifPresent(
        i -> {
          if (i.compareTo(CostQuery.MIN_INTERVAL) < 0 || i.toSeconds() % 60 != 0) {
            throw Problem.badRequest("'interval' must be a whole number of minutes, at least 1m");
          }
          if (Duration.between(range.from(), range.to()).dividedBy(i) > MAX_BUCKETS) {
            throw Problem.badRequest(
                "'interval' makes more than " + MAX_BUCKETS + " buckets; use a larger one");
          }
        });
    CostReport report =
        store.costs(RequestProject.of(ctx), new CostQuery(range, groupBy, interval, where(ctx)));
    long cells = report.groups().stream().mapToLong(g -> Math.max(1, g.series().size())).sum();
    if (cells > maxCells) {
      throw Problem.badRequest(
          "the answer would have "
              + cells
              + " groups × time buckets, more than the limit of "
              + maxCells
              + "; narrow the range, use a larger interval or fewer groupBy keys");
    }
    ctx.json(CostsView.of(report, range, interval.isPresent()));
  }

  /** {@code agent=planner&model=gpt-4o}: the dimensions the request keeps one value of. */
  private static Map<CostDimension, String> where(Context ctx) {
    Map<CostDimension, String> where = new EnumMap<>(CostDimension.class);
    for (CostDimension d : CostDimension.values()) {
      String value = Params.filter(ctx, d.apiName());
      if (!value.isEmpty()) {
        where.put(d, value);
      }
    }
    return where;
  }

  static List<CostDimension> groupBy(String raw) {
    List<CostDimension> out = new ArrayList<>();
    if (raw.isEmpty()) {
      return out;
    }
    for (String name : raw.split(",")) {
      CostDimension d =
          CostDimension.fromApiName(name)
              .orElseThrow(
                  () ->
                      Problem.badRequest(
                          "unknown groupBy key '"
                              + name.trim()
                              + "'; use any of "
                              + Arrays.stream(CostDimension.values())
                                  .map(CostDimension::apiName)
                                  .toList()));
      if (out.contains(d)) {
        throw Problem.badRequest("groupBy names '" + d.apiName() + "' twice");
      }
      out.add(d);
    }
    return out;
  }

  private void session(Context ctx) {
    String sessionId = ctx.pathParam("sessionId");
    SessionReport s =
        store
            .session(RequestProject.of(ctx), sessionId)
            .orElseThrow(() -> Problem.notFound("no session " + sessionId));
    ctx.json(SessionView.of(s));
  }

  private void workflow(Context ctx) {
    String workflowId = ctx.pathParam("workflowId");
    SessionReport w =
        store
            .workflow(RequestProject.of(ctx), workflowId)
            .orElseThrow(() -> Problem.notFound("no workflow run " + workflowId));
    ctx.json(WorkflowView.of(w));
  }

  private void agents(Context ctx) {
    TimeRange range = Params.range(ctx, clock, Duration.ofDays(7));
    List<AgentStats> stats = store.agents(RequestProject.of(ctx), range);
    ctx.json(
        new AgentsView(
            stats.stream()
                .map(
                    a ->
                        new AgentsView.Agent(
                            Json.orNull(a.agent()),
                            a.versions(),
                            a.chains(),
                            a.llmCalls(),
                            a.toolCalls(),
                            Json.usd(a.costUsd()),
                            a.unpricedCalls() == 0,
                            a.unpricedCalls(),
                            Json.usdKnown(a.toolCostUsd())))
                .toList()));
  }

  /** {@code GET /costs}. */
  public record CostsView(
      Instant from,
      Instant to,
      @Nullable BigDecimal costUsd,
      boolean costComplete,
      List<GroupView> groups,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<BucketView> series) {

    static CostsView of(CostReport report, TimeRange range, boolean withSeries) {
      BigDecimal total = BigDecimal.ZERO;
      long unpriced = 0;
      Map<Instant, BucketView> overall = new TreeMap<>();
      List<GroupView> groups = new ArrayList<>();
      for (CostReport.Group g : report.groups()) {
        total = total.add(g.costUsd());
        unpriced += g.unpricedCalls();
        List<BucketView> series = new ArrayList<>();
        for (CostReport.Bucket b : g.series()) {
          series.add(BucketView.of(b.start(), b.costUsd(), b.usage(), b.llmCalls()));
          overall.merge(
              b.start(),
              BucketView.of(b.start(), b.costUsd(), b.usage(), b.llmCalls()),
              BucketView::plus);
        }
        groups.add(
            new GroupView(
                g.key(),
                Json.usd(g.costUsd()),
                g.unpricedCalls() == 0,
                Views.Usage.of(g.usage()),
                g.llmCalls(),
                g.chains(),
                g.unpricedCalls(),
                withSeries ? series : null));
      }
      return new CostsView(
          range.from(),
          range.to(),
          Json.usd(total),
          unpriced == 0,
          groups,
          withSeries ? List.copyOf(overall.values()) : null);
    }
  }

  /**
   * One group of {@code GET /costs}.
   *
   * @param costComplete false when some calls in the group have no known cost ({@code costUsd} is
   *     then a lower bound)
   */
  public record GroupView(
      Map<String, String> key,
      @Nullable BigDecimal costUsd,
      boolean costComplete,
      Views.Usage usage,
      long llmCalls,
      long chains,
      long unpricedCalls,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<BucketView> series) {}

  /** One time bucket; buckets without calls are omitted. */
  public record BucketView(Instant start, BigDecimal costUsd, Views.Usage usage, long llmCalls) {

    static BucketView of(Instant start, BigDecimal cost, UsageTotals usage, long llmCalls) {
      return new BucketView(start, Json.usdKnown(cost), Views.Usage.of(usage), llmCalls);
    }

    BucketView plus(BucketView o) {
      Views.Usage a = usage;
      Views.Usage b = o.usage;
      return new BucketView(
          start,
          Json.usdKnown(costUsd.add(o.costUsd)),
          new Views.Usage(
              a.inputTokens() + b.inputTokens(),
              a.outputTokens() + b.outputTokens(),
              a.cacheReadTokens() + b.cacheReadTokens(),
              a.cacheWriteTokens() + b.cacheWriteTokens(),
              a.reasoningTokens() + b.reasoningTokens()),
          llmCalls + o.llmCalls);
    }
  }

  /**
   * {@code GET /sessions/{sessionId}}.
   *
   * @param costUsd every known cost of its chains: model calls and priced tool calls
   * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
   */
  public record SessionView(
      String sessionId,
      @Nullable BigDecimal costUsd,
      boolean costComplete,
      int chains,
      List<Views.AgentCostView> byAgent,
      List<Views.ModelCostView> byModel,
      List<String> traceIds,
      BigDecimal toolCostUsd) {

    static SessionView of(SessionReport s) {
      return new SessionView(
          s.sessionId(),
          Json.usd(s.costUsd()),
          s.costComplete(),
          s.chains(),
          s.byAgent().stream().map(Views.AgentCostView::of).toList(),
          s.byModel().stream().map(Views.ModelCostView::of).toList(),
          s.traceIds(),
          Json.usdKnown(s.toolCostUsd()));
    }
  }

  /**
   * {@code GET /workflows/{workflowId}}: a session's totals, over the chains of one workflow run.
   *
   * @param costUsd every known cost of its chains: model calls and priced tool calls
   * @param toolCostUsd the part of {@code costUsd} priced by the project's tool and sandbox prices
   */
  public record WorkflowView(
      String workflowId,
      @Nullable BigDecimal costUsd,
      boolean costComplete,
      int chains,
      List<Views.AgentCostView> byAgent,
      List<Views.ModelCostView> byModel,
      List<String> traceIds,
      BigDecimal toolCostUsd) {

    static WorkflowView of(SessionReport w) {
      SessionView v = SessionView.of(w); // the same totals; only the id's name differs
      return new WorkflowView(
          v.sessionId(),
          v.costUsd(),
          v.costComplete(),
          v.chains(),
          v.byAgent(),
          v.byModel(),
          v.traceIds(),
          v.toolCostUsd());
    }
  }

  /** {@code GET /agents}. */
  public record AgentsView(List<Agent> items) {
    public record Agent(
        @Nullable String agent,
        List<String> versions,
        long chains,
        long llmCalls,
        long toolCalls,
        @Nullable BigDecimal costUsd,
        boolean costComplete,
        long unpricedCalls,
        BigDecimal toolCostUsd) {}
  }
}
