package io.agentledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.api.alerts.AlertRuleRoutes;
import io.agentledger.api.analysis.PathRoutes;
import io.agentledger.api.anomalies.AnomalyRoutes;
import io.agentledger.api.chains.ChainRoutes;
import io.agentledger.api.chains.DecisionRoutes;
import io.agentledger.api.costs.CostRoutes;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestAuth;
import io.agentledger.api.openapi.OpenApiDocument;
import io.agentledger.api.prices.PriceRoutes;
import io.agentledger.api.regressions.RegressionRoutes;
import io.agentledger.api.ui.ExplorerAssets;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.http.HttpSafety;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.log.ThrottledLog;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.SpanStore;
import io.agentledger.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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

  /** The routes outside {@value #ROOT}, all GET and without authentication. */
  static final Map<String, String> PUBLIC_ROUTES =
      Map.of(
          "/health",
          "Liveness and readiness (no auth)",
          "/metrics",
          "Prometheus metrics (no auth)",
          "/openapi.json",
          "This document (no auth)",
          ExplorerAssets.PATH,
          "The chain explorer page (no auth to load it; it asks for an API key for the data)");

  private final ApiKeys keys;
  private final MeterRegistry registry;
  private final ApiLimits limits;
  private final TenantLimiter limiter;
  private final ThrottledLog warnings;
  private final List<ApiRoute> routes;
  private final Map<Pattern, Set<String>> methodsByPath;
  private final ObjectNode openApi;
  private final ObjectMapper mapper;

  public QueryApi(
      SpanStore store,
      ApiKeys keys,
      PriceCatalog catalog,
      MeterRegistry registry,
      Clock clock,
      String version) {
    this(store, keys, catalog, registry, clock, version, ApiLimits.defaults());
  }

  public QueryApi(
      SpanStore store,
      ApiKeys keys,
      PriceCatalog catalog,
      MeterRegistry registry,
      Clock clock,
      String version,
      ApiLimits limits) {
    Objects.requireNonNull(store, "store");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.limiter = new TenantLimiter(limits.perProject(), System::nanoTime);
    this.warnings = new ThrottledLog(LOG, limits.warningInterval());
    List<ApiRoute> all = new ArrayList<>();
    all.addAll(new ChainRoutes(store, store, clock, limits.maxChainSpans()).routes());
    all.addAll(new DecisionRoutes(store, store).routes());
    all.addAll(new CostRoutes(store, clock, limits.maxCostCells()).routes());
    all.addAll(new PathRoutes(store, store, clock).routes());
    all.addAll(new AnomalyRoutes(store, clock).routes());
    all.addAll(new RegressionRoutes(store, clock).routes());
    all.addAll(new PriceRoutes(store, store, catalog, limits.maxPriceOverrides()).routes());
    all.addAll(new AlertRuleRoutes(store, clock).routes());
    this.routes = List.copyOf(all);
    Map<Pattern, Set<String>> methods = new LinkedHashMap<>();
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    for (ApiRoute r : routes) {
      Pattern p = patterns.computeIfAbsent(ROOT + r.path(), QueryApi::pathPattern);
      methods.computeIfAbsent(p, k -> new TreeSet<>()).add(r.method().name());
    }
    PUBLIC_ROUTES.keySet().forEach(path -> methods.put(pathPattern(path), Set.of("GET")));
    methods.put(pathPattern(ExplorerAssets.PATH + "{file}"), Set.of("GET"));
    this.methodsByPath = methods;
    this.mapper = io.agentledger.api.http.Json.mapper();
    this.openApi = OpenApiDocument.build(version, ROOT, routes, PUBLIC_ROUTES);
  }

  public ApiLimits limits() {
    return limits;
  }

  /** A Javalin path template ({@code /chains/{traceId}}) as a pattern matching one segment each. */
  private static Pattern pathPattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  /** The methods a path answers, for {@code Allow}; GET routes answer HEAD too. */
  String allowedMethods(String path) {
    Set<String> allowed = new TreeSet<>();
    methodsByPath.forEach(
        (pattern, methods) -> {
          if (pattern.matcher(path).matches()) {
            allowed.addAll(methods);
          }
        });
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    return String.join(", ", allowed);
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
    config.http.prefer405over404 = true;
    config.jetty.modifyHttpConfiguration(h -> h.setIdleTimeout(limits.idleTimeout().toMillis()));
    config.routes.before(
        ctx -> {
          ctx.attribute(START_NANOS, System.nanoTime());
          HttpSafety.SECURITY_HEADERS.forEach(ctx::header);
        });
    config.routes.before(ROOT + "/*", new RequestAuth(keys, limiter));
    for (ApiRoute route : routes) {
      config.routes.addEndpoint(
          new Endpoint(route.method(), ROOT + route.path(), route.handler(), Set.of()));
    }
    config.routes.exception(Problem.class, (e, ctx) -> problem(ctx, e));
    config.routes.exception(
        StoreException.class,
        (e, ctx) -> {
          warnings.warn("store_error", "store error on " + routeLabel(ctx) + ": " + e, e);
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
        ctx -> {
          String allowed = allowedMethods(ctx.path());
          ctx.header("Allow", allowed);
          problem(
              ctx,
              new Problem(
                  405,
                  "Method Not Allowed",
                  "this path answers only " + allowed + ", not " + ctx.method().name()));
        });
    config.routes.after(
        ctx -> {
          RequestAuth.release(ctx);
          Long start = ctx.attribute(START_NANOS);
          if (start != null) {
            // Labels from closed sets only: a client inventing methods or paths adds no series.
            Timer.builder("agentledger.api.requests")
                .tag("method", HttpSafety.methodLabel(ctx.method().name()))
                .tag("route", routeLabel(ctx))
                .tag("status", HttpSafety.statusLabel(ctx.statusCode()))
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          }
        });
  }

  /** The matched route template, or {@code unmatched}: never the raw path. */
  private static String routeLabel(io.javalin.http.Context ctx) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    return endpoint == null ? "unmatched" : endpoint.path;
  }

  static void problem(io.javalin.http.Context ctx, Problem p) {
    ctx.status(p.status());
    ctx.contentType("application/problem+json");
    ctx.json(p.body(ctx.path()));
    ctx.contentType("application/problem+json");
  }
}
