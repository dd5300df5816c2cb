package io.agentledger.api.chains;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.ApiLimits;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.SpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The query API over real HTTP on a store, for two projects: {@code alpha} ({@link #KEY_A}) and
 * {@code beta} ({@link #KEY_B}), so a test can show one project never sees the other's chains.
 * Limits are small (1,000 spans a chain) and the per-project rate is unlimited.
 */
final class TwoProjectApi implements AutoCloseable {

  static final String KEY_A = "alpha-key-0123456789abcdef";
  static final String KEY_B = "beta-key-0123456789abcdef0";
  static final ObjectMapper JSON = new ObjectMapper();

  private final QueryApiServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private TwoProjectApi(QueryApiServer server) {
    this.server = server;
  }

  static TwoProjectApi start(SpanStore store) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse("alpha:" + KEY_A + ",beta:" + KEY_B),
            PriceCatalog.bundled(),
            registry,
            Clock.systemUTC(),
            "test",
            new ApiLimits(
                TenantLimiter.Limits.unlimited(),
                1000,
                100,
                10,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30)));
    return new TwoProjectApi(new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0));
  }

  /** GET {@code path} with {@code key}, asserting the answer's status. */
  HttpResponse<String> get(String path, String key, int status) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(status);
    return r;
  }

  /** Like {@link #get}, the body read as JSON. */
  JsonNode json(String path, String key, int status) throws Exception {
    return JSON.readTree(get(path, key, status).body());
  }

  @Override
  public void close() {
    server.close();
  }
}
