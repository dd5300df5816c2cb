package io.agentledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.api.analysis.AnalysisRoutes;
import io.agentledger.api.chains.ChainRoutes;
import io.agentledger.api.costs.CostRoutes;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestAuth;
import io.agentledger.api.openapi.OpenApiDocument;
import io.agentledger.api.prices.PriceRoutes;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.SpanStore;
import io.agentledger.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API under {@value #ROOT}: every route, its authentication (API key → project), its
 * errors as RFC 7807 problem details, its request metrics (tagged by route template) and its
 * OpenAPI document. Install it on a Javalin config with {@link #install(JavalinConfig)}.
 */
public final class QueryApi {

  public static final String ROOT = "/api/v1";

  private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
  private static final String START_NANOS = "agentledger.start";

  private final ApiKeys keys;
  private final MeterRegistry registry;
  private final List<ApiRoute> routes;
  private final ObjectNode openApi;
  private final ObjectMapper mapper;

  public QueryApi(
      SpanStore store,
      ApiKeys keys,
      PriceCatalog catalog,
      MeterRegistry registry,
      Clock clock,
      String version) {
    Objects.requireNonNull(store, "store");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.registry = Objects.requireNonNull(registry, "registry");
    List<ApiRoute> all = new ArrayList<>();
    all.addAll(new ChainRoutes(store, clock).routes());
    all.addAll(new CostRoutes(store, clock).routes());
    all.addAll(new AnalysisRoutes(store, clock).routes());
    all.addAll(new PriceRoutes(store, catalog).routes());
    this.routes = List.copyOf(all);
    this.mapper = io.agentledger.api.http.Json.mapper();
    this.openApi =
        OpenApiDocument.build(
            version,
            ROOT,
            routes,
            Map.of(
                "/health", "Liveness and readiness (no auth)",
                "/metrics", "Prometheus metrics (no auth)",
                "/openapi.json", "This document (no auth)"));
  }

  public List<ApiRoute> routes() {
    return routes;
  }

  /** The OpenAPI 3 document of every route. */
  public ObjectNode openApi() {
    return openApi.deepCopy();
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** Registers the routes, authentication, problem handling and request metrics. */
  public void install(JavalinConfig config) {
    config.jsonMapper(new io.javalin.json.JavalinJackson(mapper, false));
    config.routes.before(ctx -> ctx.attribute(START_NANOS, System.nanoTime()));
    config.routes.before(ROOT + "/*", new RequestAuth(keys));
    for (ApiRoute route : routes) {
      config.routes.addEndpoint(
          new Endpoint(route.method(), ROOT + route.path(), route.handler(), Set.of()));
    }
    config.routes.exception(Problem.class, (e, ctx) -> problem(ctx, e));
    config.routes.exception(
        StoreException.class,
        (e, ctx) -> {
          LOG.warn("Store error on {} {}: {}", ctx.method(), ctx.path(), e.toString(), e);
          problem(
              ctx,
              new Problem(
                  e.retryable() ? 503 : 500,
                  e.retryable() ? "Service Unavailable" : "Internal Server Error",
                  e.retryable()
                      ? "the store is busy; retry shortly"
                      : "the store failed; see the server log"));
          if (e.retryable()) {
            ctx.header("Retry-After", "1");
          }
        });
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
          problem(
              ctx,
              new Problem(500, "Internal Server Error", "unexpected error; see the server log"));
        });
    config.routes.error(
        404,
        "*",
        ctx -> {
          // A route that answered 404 itself already wrote a problem; anything else is Javalin's
          // plain-text "not found" for a path no route matches.
          String type = ctx.res().getContentType();
          if (type == null || !type.startsWith("application/problem+json")) {
            problem(ctx, Problem.notFound("no route " + ctx.method() + " " + ctx.path()));
          }
        });
    config.routes.error(
        405,
        "*",
        ctx ->
            problem(
                ctx,
                new Problem(
                    405, "Method Not Allowed", ctx.method() + " is not allowed on " + ctx.path())));
    config.routes.after(
        ctx -> {
          Long start = ctx.attribute(START_NANOS);
          Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
          String route = endpoint == null ? "unmatched" : endpoint.path;
          if (start != null) {
            Timer.builder("agentledger.api.requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          }
        });
  }

  static void problem(io.javalin.http.Context ctx, Problem p) {
    ctx.status(p.status());
    ctx.contentType("application/problem+json");
    ctx.json(p.body(ctx.path()));
    ctx.contentType("application/problem+json");
  }
}
