package io.agentledger.api.anomalies;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.FindingStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code GET /anomalies}: anomaly episodes active in a range, filtered and paged. */
public final class AnomalyRoutes {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Set<String> STATUSES = Set.of("", Anomaly.FIRING, Anomaly.RESOLVED);

  private final FindingStore store;
  private final Clock clock;

  public AnomalyRoutes(FindingStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/anomalies",
            "listAnomalies",
            "Anomalies active at some time in the range (first seen before 'to', last seen at or"
                + " after 'from'), last seen newest first",
            List.of(
                ApiParam.query("from", "date-time", "default: 7 days before 'to'"),
                ApiParam.query("to", "date-time", "default: now"),
                ApiParam.query("status", "string", "firing or resolved"),
                ApiParam.query(
                    "kind",
                    "string",
                    "run_outlier, rate, tool_loop, ping_pong, runaway_context, new_transition or"
                        + " excessive_steps"),
                ApiParam.query("agent", "string", "the subject's agent"),
                ApiParam.query(
                    "limit",
                    "integer",
                    "page size, 1-" + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")"),
                ApiParam.query("cursor", "string", "nextCursor of the previous page")),
            AnomalyPage.class,
            this::list));
  }

  private void list(Context ctx) {
    String status = Params.filter(ctx, "status");
    if (!STATUSES.contains(status)) {
      throw Problem.badRequest("'status' must be 'firing' or 'resolved'");
    }
    int limit = Params.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    Optional<AnomalyQuery.Position> after =
        Optional.ofNullable(ctx.queryParam("cursor"))
            .filter(c -> !c.isBlank())
            .map(AnomalyRoutes::position);
    AnomalyQuery query =
        new AnomalyQuery(
            Params.range(ctx, clock, Duration.ofDays(7)),
            status,
            Params.filter(ctx, "kind"),
            Params.filter(ctx, "agent"),
            limit + 1,
            after);
    List<Anomaly> found = store.anomalies(RequestProject.of(ctx), query);
    List<Anomaly> page = found.size() > limit ? found.subList(0, limit) : found;
    String next =
        found.size() > limit ? AnomalyQuery.Position.of(page.get(limit - 1)).encode() : null;
    ctx.json(new AnomalyPage(page.stream().map(AnomalyView::of).toList(), next));
  }

  private static AnomalyQuery.Position position(String cursor) {
    try {
      return AnomalyQuery.Position.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("invalid cursor: " + e.getMessage());
    }
  }

  /** A page of anomalies; {@code nextCursor} is absent on the last page. */
  public record AnomalyPage(
      List<AnomalyView> items,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String nextCursor) {}

  /** One anomaly episode, as API.md "Anomalies and regressions" names its fields. */
  public record AnomalyView(
      String id,
      String kind,
      Map<String, String> subject,
      String metric,
      double observed,
      Band expected,
      double score,
      String severity,
      String status,
      Instant firstSeen,
      Instant lastSeen,
      List<String> exampleTraceIds,
      Map<String, String> detail) {

    static AnomalyView of(Anomaly a) {
      return new AnomalyView(
          a.id(),
          a.kind(),
          a.subject(),
          a.metric(),
          a.observed(),
          new Band(a.expected().low(), a.expected().high()),
          a.score(),
          a.severity(),
          a.status(),
          a.firstSeen(),
          a.lastSeen(),
          a.exampleTraceIds(),
          a.detail());
    }
  }

  /** The band the baseline led to expect. */
  public record Band(double low, double high) {}
}
