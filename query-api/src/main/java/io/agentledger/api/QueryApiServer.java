package io.agentledger.api;

import io.agentledger.api.ui.ExplorerAssets;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP server of the API port: {@code /api/v1/*}, and without authentication {@code /health},
 * {@code /metrics} (Prometheus), {@code /openapi.json} and the chain explorer page ({@code /ui/}).
 */
public final class QueryApiServer implements AutoCloseable {

  private final Javalin app;

  public QueryApiServer(QueryApi api, PrometheusMeterRegistry registry, List<HealthCheck> checks) {
    this(Optional.of(api), registry, checks);
  }

  /**
   * The server of a role without the query API (a collector, an analyzer): {@code /health} and
   * {@code /metrics} only, for the orchestrator's probes and Prometheus.
   */
  public static QueryApiServer operational(
      PrometheusMeterRegistry registry, List<HealthCheck> checks) {
    return new QueryApiServer(Optional.empty(), registry, checks);
  }

  private QueryApiServer(
      Optional<QueryApi> queryApi, PrometheusMeterRegistry registry, List<HealthCheck> checks) {
    List<HealthCheck> healthChecks = List.copyOf(checks);
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.http.maxRequestSize = 1024 * 1024; // price overrides are small
              queryApi.ifPresent(
                  api -> {
                    api.install(config);
                    String openApi = api.openApi().toPrettyString();
                    config.routes.get(
                        "/openapi.json",
                        ctx -> ctx.contentType("application/json").result(openApi));
                    new ExplorerAssets().install(config);
                  });
              config.routes.get(
                  "/health",
                  ctx -> {
                    Map<String, String> results = new LinkedHashMap<>();
                    boolean available = true;
                    boolean degraded = false;
                    for (HealthCheck check : healthChecks) {
                      Optional<String> problem = check.problem();
                      if (problem.isPresent()) {
                        available &= !check.critical();
                        degraded = true;
                      }
                      results.put(check.name(), problem.orElse("ok"));
                    }
                    ctx.status(available ? 200 : 503);
                    ctx.json(
                        new Health(
                            !available ? "unavailable" : degraded ? "degraded" : "ok", results));
                  });
              config.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(registry.scrape()));
            });
  }

  /**
   * {@code GET /health}: {@code status} is {@code ok}, {@code degraded} (200: a component works
   * around a problem by itself, e.g. consumers retrying a store outage) or {@code unavailable}
   * (503); {@code checks} names each component's problem, or {@code ok}.
   */
  public record Health(String status, Map<String, String> checks) {}

  public QueryApiServer start(String host, int port) {
    app.start(host, port);
    return this;
  }

  /** The port actually bound (useful when started on port 0). */
  public int port() {
    return app.port();
  }

  /** Stops accepting requests and lets those in progress finish, within the timeout. */
  public void close(Duration timeout) {
    app.stop();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
