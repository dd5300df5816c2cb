package io.agentledger.api.regressions;

import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.RequestProject;
import io.agentledger.store.Regression;
import io.agentledger.store.RegressionStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code GET /regressions}: what changed in agents' runs, between versions and within one. */
public final class RegressionRoutes {

  private final RegressionStore store;
  private final Clock clock;

  public RegressionRoutes(RegressionStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get(
            "/regressions",
            "listRegressions",
            "Regressions detected between agent versions and at change points within a version,"
                + " newest first",
            List.of(
                ApiParam.query("from", "date-time", "detected from; default: 30 days before 'to'"),
                ApiParam.query("to", "date-time", "detected before; default: now"),
                ApiParam.query("agent", "string", "only this agent")),
            RegressionsView.class,
            this::regressions));
  }

  private void regressions(Context ctx) {
    List<Regression> found =
        store.regressions(
            RequestProject.of(ctx),
            Params.range(ctx, clock, Duration.ofDays(30)),
            Params.filter(ctx, "agent"));
    ctx.json(new RegressionsView(found.stream().map(RegressionView::of).toList()));
  }

  /** The response: regressions, newest first. */
  public record RegressionsView(List<RegressionView> items) {}

  /**
   * One regression (API.md, "Anomalies and regressions").
   *
   * @param kind {@code version} (between two versions) or {@code changepoint} (within one version)
   * @param metric {@code costUsd}, {@code durationMs}, {@code tokens}, {@code steps} or {@code
   *     errorRate}
   * @param effect relative change of the median, after versus before ({@code 0.3} = 30 % higher)
   * @param effectLow lower bound of the effect's 95 % bootstrap interval
   * @param effectHigh upper bound of the effect's 95 % bootstrap interval
   * @param pValue p-value adjusted for every test of the detection cycle (Benjamini-Hochberg)
   * @param direction {@code worse} (the metric went up) or {@code better}
   * @param detectedAt when it was first detected
   * @param exampleTraceIds chains of runs after the change that show it most
   */
  public record RegressionView(
      String id,
      String kind,
      String agent,
      String metric,
      RegressionSide before,
      RegressionSide after,
      double effect,
      double effectLow,
      double effectHigh,
      double pValue,
      String direction,
      Instant detectedAt,
      List<String> exampleTraceIds) {

    static RegressionView of(Regression r) {
      return new RegressionView(
          r.id(),
          r.kind(),
          r.agent(),
          r.metric(),
          RegressionSide.of(r.before()),
          RegressionSide.of(r.after()),
          r.effect(),
          r.effectLow(),
          r.effectHigh(),
          r.pValue(),
          r.direction(),
          r.detectedAt(),
          r.exampleTraceIds());
    }
  }

  /**
   * One side of a change.
   *
   * @param version the agent version of the runs (the same on both sides of a change point)
   * @param period when the runs compared started
   * @param median the metric's median over those runs (the share of failed runs for errorRate)
   * @param runs how many runs were compared
   */
  public record RegressionSide(String version, RegressionPeriod period, double median, int runs) {
    static RegressionSide of(Regression.Segment s) {
      return new RegressionSide(
          s.version(), new RegressionPeriod(s.from(), s.to()), s.median(), s.runs());
    }
  }

  /**
   * A time span.
   *
   * @param from the first run's start
   * @param to the last run's start
   */
  public record RegressionPeriod(Instant from, Instant to) {}
}
