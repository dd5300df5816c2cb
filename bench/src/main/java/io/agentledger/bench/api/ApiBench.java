package io.agentledger.bench.api;

import io.agentledger.api.ApiLimits;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.RequestTiming;
import io.agentledger.bench.report.Results;
import io.agentledger.bench.store.StoreBench;
import io.agentledger.bench.workload.SpanPool;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.SpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Query API latency over real HTTP with the store benchmark's spans (query API issue). */
public final class ApiBench {

  private static final String KEY = "bench-key-0123456789abcdef";

  private ApiBench() {}

  public static void run(StoreBench.Loaded loaded, Results results, String cmd) throws Exception {
    try (SpanStore store = DuckDbSpanStore.open(loaded.file(), Clock.systemUTC())) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      QueryApi api =
          new QueryApi(
              store,
              ApiKeys.parse(StoreBench.PROJECT + ":" + KEY),
              PriceCatalog.bundled(),
              registry,
              Clock.systemUTC(),
              "bench",
              // One client measuring latency: the per-project limits would measure themselves.
              new ApiLimits(
                  TenantLimiter.Limits.unlimited(),
                  ApiLimits.defaults().maxChainSpans(),
                  ApiLimits.defaults().maxCostCells(),
                  ApiLimits.defaults().maxPriceOverrides(),
                  ApiLimits.defaults().idleTimeout(),
                  ApiLimits.defaults().warningInterval()));
      try (QueryApiServer server =
          new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0)) {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + server.port() + QueryApi.ROOT);
        long spans = (long) loaded.pool().size() * loaded.rounds();

        SplittableRandom random = new SplittableRandom(11);
        Latencies chains =
            RequestTiming.measure(
                100,
                1_000,
                () -> {
                  String trace =
                      SpanPool.traceId(
                          loaded
                              .pool()
                              .traceIds()
                              .get(random.nextInt(loaded.pool().traceIds().size())),
                          random.nextInt(loaded.rounds()));
                  return get(http, base.resolve(QueryApi.ROOT + "/chains/" + trace));
                });
        results.add(
            "Query API",
            String.format(Locale.ROOT, "`GET /chains/{traceId}` with %,d spans stored", spans),
            chains.summary(),
            "p95 ≤ 20 ms",
            chains.percentileMillis(95) <= 20,
            cmd);

        Instant to = Instant.ofEpochSecond(0, loaded.windowEndNanos());
        String query = "/costs?groupBy=agent&from=" + to.minus(Duration.ofHours(24)) + "&to=" + to;
        Latencies costs =
            RequestTiming.measure(3, 30, () -> get(http, base.resolve(QueryApi.ROOT + query)));
        results.add(
            "Query API",
            String.format(
                Locale.ROOT, "`GET /costs?groupBy=agent` over 24 hours, %,d spans stored", spans),
            costs.summary(),
            "p95 ≤ 300 ms",
            costs.percentileMillis(95) <= 300,
            cmd);
      }
    }
  }

  private static HttpResponse<byte[]> get(HttpClient http, URI uri)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
