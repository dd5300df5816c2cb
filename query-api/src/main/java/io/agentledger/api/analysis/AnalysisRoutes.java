package io.agentledger.api.analysis;

import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.store.Anomaly;
import io.agentledger.store.FindingStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the analyzer found: anomalies (paths: {@link PathRoutes}; regressions: RegressionRoutes).
 */
public final class AnalysisRoutes {

  private static final Set<String> STATUSES = Set.of("", "open", "resolved");

  private final FindingStore store;
  private final Clock clock;

  public AnalysisRoutes(FindingStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/anomalies",
            "listAnomalies",
            "Detected anomalies, newest first",
            List.of(
                ApiParam.query("from", "date-time", "default: 7 days before 'to'"),
                ApiParam.query("to", "date-time", "default: now"),
                ApiParam.query("status", "string", "open or resolved")),
            AnomaliesView.class,
            this::anomalies));
  }

  private void anomalies(Context ctx) {
    String status = Params.string(ctx, "status");
    if (!STATUSES.contains(status)) {
      throw Problem.badRequest("'status' must be 'open' or 'resolved'");
    }
    ctx.json(
        new AnomaliesView(
            store.anomalies(
                RequestProject.of(ctx), Params.range(ctx, clock, Duration.ofDays(7)), status)));
  }

  public record AnomaliesView(List<Anomaly> items) {}
}
