package io.agentledger.api.analysis;

import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.RequestProject;
import io.agentledger.store.FindingStore;
import io.agentledger.store.Regression;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** What the analyzer found: regressions (anomalies: AnomalyRoutes; paths: {@link PathRoutes}). */
public final class AnalysisRoutes {

  private final FindingStore store;
  private final Clock clock;

  public AnalysisRoutes(FindingStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/regressions",
            "listRegressions",
            "Detected regressions between agent versions, newest first",
            List.of(
                ApiParam.query("from", "date-time", "default: 30 days before 'to'"),
                ApiParam.query("to", "date-time", "default: now")),
            RegressionsView.class,
            this::regressions));
  }

  private void regressions(Context ctx) {
    ctx.json(
        new RegressionsView(
            store.regressions(
                RequestProject.of(ctx), Params.range(ctx, clock, Duration.ofDays(30)))));
  }

  public record RegressionsView(List<Regression> items) {}
}
