package io.agentledger.api.regressions;

import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Params;
import io.agentledger.api.http.Problem;
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
                + " active at some time in the range (detected before 'to', last seen at or after"
                + " 'from'), newest detected first",
            List.of(
                ApiParam.query("from", "date-time", "last seen from; default: 30 days before 'to'"),
                ApiParam.query("to", "date-time", "detected before; default: now"),
                ApiParam.query("agent", "string", "only this agent"),
                ApiParam.query(
                    "status",
                    "string",
                    "only regressions firing (still found) or resolved (no longer found, or"
                        + " superseded by a newer version)")),
            RegressionsView.class,
            this::regressions));
  }

  private void regressions(Context ctx) {
    String status = Params.filter(ctx, "status");
    if (!status.isEmpty() && !STATUSES.contains(status)) {
      throw Problem.badRequest("'status' must be 'firing' or 'resolved'");
    }
    List<Regression> found =
        store.regressions(
            RequestProject.of(ctx),
            Params.range(ctx, clock, Duration.ofDays(30)),
            Params.filter(ctx, "agent"));
    ctx.json(
        new RegressionsView(
            found.stream()
                .filter(r -> status.isEmpty() || r.status().equals(status))
                .map(RegressionView::of)
                .toList()));
  }

  private static final List<String> STATUSES = List.of(Regression.FIRING, Regression.RESOLVED);

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
   * @param detectedAt when it was first detected (in this episode)
   * @param exampleTraceIds chains of runs after the change that show it most
   * @param status {@code firing} while detection cycles find it, {@code resolved} once they no
   *     longer do or a newer version of the agent superseded it
   * @param firstSeen the same as detectedAt
   * @param lastSeen when a detection cycle last found it
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
      List<String> exampleTraceIds,
      String status,
      Instant firstSeen,
      Instant lastSeen) {

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
          r.exampleTraceIds(),
          r.status(),
          r.detectedAt(),
          r.lastSeen());
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
