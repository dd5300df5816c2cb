package io.agentledger.standalone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.analyzer.regress.RegressionConfig;
import io.agentledger.analyzer.regress.RegressionDetector;
import io.agentledger.analyzer.regress.RegressionRunner;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.store.RunSummary;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regressions end to end on DuckDB: runs of two agents stored, a detection cycle, and {@code GET
 * /api/v1/regressions} over real HTTP. The planner's version 2 is 30 % slower at the same cost; the
 * writer's version 2 changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegressionsApiIT {

  static final String KEY_A = "alpha-key-0123456789abcdef";
  static final String KEY_B = "beta-key-0123456789abcdef0";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant NOW = T0.plus(Duration.ofDays(1));
  static final String RANGE = "from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z";

  DuckDbSpanStore store;
  QueryApiServer server;
  ApiClient api;
  int saved;

  @BeforeAll
  void start(@TempDir Path dir) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    store = DuckDbSpanStore.open(dir.resolve("regressions.duckdb"), clock);
    ApiKeys keys = ApiKeys.parse("alpha:" + KEY_A + ",beta:" + KEY_B);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    List<RunSummary> runs = new ArrayList<>();
    runs.addAll(runs(1, "planner", "1", T0, 200, 1.0));
    runs.addAll(runs(2, "planner", "2", T0.plus(Duration.ofHours(4)), 200, 1.3));
    runs.addAll(runs(3, "writer", "1", T0, 200, 1.0));
    runs.addAll(runs(4, "writer", "2", T0.plus(Duration.ofHours(4)), 200, 1.0));
    store.replaceRuns("alpha", runs.stream().map(RunSummary::traceId).toList(), runs);

    RegressionRunner runner =
        new RegressionRunner(
            store,
            store,
            new Notifications(store, List.of(), registry),
            new RegressionDetector(RegressionConfig.defaults()),
            keys::projects,
            clock,
            registry);
    saved = runner.runOnce();

    QueryApi queryApi = new QueryApi(store, keys, PriceCatalog.bundled(), registry, clock, "test");
    server = new QueryApiServer(queryApi, registry, List.of()).start("127.0.0.1", 0);
    api = new ApiClient(URI.create("http://127.0.0.1:" + server.port()));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void theSlowerVersion_isServedAsALatencyRegression_withEveryField() throws Exception {
    assertThat(saved).isEqualTo(1);
    ApiClient.Reply reply = api.get("/api/v1/regressions?" + RANGE, KEY_A);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode items = reply.body().path("items");
    assertThat(items).hasSize(1);
    JsonNode r = items.get(0);
    assertThat(r.path("id").asText()).startsWith("rg-");
    assertThat(r.path("kind").asText()).isEqualTo("version");
    assertThat(r.path("agent").asText()).isEqualTo("planner");
    assertThat(r.path("metric").asText()).isEqualTo("durationMs");
    assertThat(r.path("direction").asText()).isEqualTo("worse");
    assertThat(r.path("before").path("version").asText()).isEqualTo("1");
    assertThat(r.path("before").path("runs").asInt()).isEqualTo(200);
    assertThat(r.path("before").path("median").asDouble()).isCloseTo(2000, within(200.0));
    assertThat(r.path("before").path("period").path("from").asText())
        .isEqualTo("2026-11-01T00:00:00Z");
    assertThat(r.path("after").path("version").asText()).isEqualTo("2");
    assertThat(r.path("after").path("runs").asInt()).isEqualTo(200);
    assertThat(r.path("after").path("period").path("from").asText())
        .isEqualTo("2026-11-01T04:00:00Z");
    double effect = r.path("effect").asDouble();
    assertThat(effect).isCloseTo(0.3, within(0.1));
    assertThat(r.path("effectLow").asDouble()).isLessThan(effect).isPositive();
    assertThat(r.path("effectHigh").asDouble()).isGreaterThan(effect);
    assertThat(r.path("pValue").asDouble()).isLessThan(0.001);
    assertThat(Instant.parse(r.path("detectedAt").asText())).isEqualTo(NOW);
    assertThat(r.path("exampleTraceIds")).hasSize(5);
    assertThat(r.path("status").asText()).isEqualTo("firing");
    assertThat(Instant.parse(r.path("firstSeen").asText())).isEqualTo(NOW);
    assertThat(Instant.parse(r.path("lastSeen").asText())).isEqualTo(NOW);
  }

  @Test
  void statusFilter_firingOrResolved() throws Exception {
    assertThat(api.get("/api/v1/regressions?status=firing&" + RANGE, KEY_A).body().path("items"))
        .hasSize(1);
    assertThat(api.get("/api/v1/regressions?status=resolved&" + RANGE, KEY_A).body().path("items"))
        .isEmpty();
    assertThat(api.get("/api/v1/regressions?status=open&" + RANGE, KEY_A).status()).isEqualTo(400);
  }

  @Test
  void agentFilter_andProjects_narrowTheList() throws Exception {
    assertThat(api.get("/api/v1/regressions?agent=planner&" + RANGE, KEY_A).body().path("items"))
        .hasSize(1);
    assertThat(api.get("/api/v1/regressions?agent=writer&" + RANGE, KEY_A).body().path("items"))
        .isEmpty();
    assertThat(api.get("/api/v1/regressions?" + RANGE, KEY_B).body().path("items")).isEmpty();
    // Detected at NOW: a range ending before it has nothing.
    assertThat(
            api.get("/api/v1/regressions?from=2026-11-01T00:00:00Z&to=2026-11-01T12:00:00Z", KEY_A)
                .body()
                .path("items"))
        .isEmpty();
  }

  @Test
  void badParameters_areProblems_andTheRouteIsDocumented() throws Exception {
    ApiClient.Reply bad = api.get("/api/v1/regressions?from=yesterday", KEY_A);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/api/v1/regressions", null).status()).isEqualTo(401);

    JsonNode op = api.get("/openapi.json", null).body().path("paths").path("/api/v1/regressions");
    assertThat(
            StreamSupport.stream(op.path("get").path("parameters").spliterator(), false)
                .map(p -> p.path("name").asText()))
        .contains("from", "to", "agent", "status");
  }

  /** Runs of one agent version: latency and cost log-normal, latency scaled by {@code slower}. */
  private static List<RunSummary> runs(
      long seed, String agent, String version, Instant start, int n, double slower) {
    Random rng = new Random(seed);
    List<RunSummary> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String trace = String.format("%016x%016x", seed, rng.nextLong());
      double cost = 0.02 * Math.exp(0.4 * rng.nextGaussian());
      long tokens = Math.round(cost * 100_000);
      out.add(
          new RunSummary(
              "alpha",
              trace,
              trace.substring(16),
              agent,
              version,
              "svc",
              "",
              "",
              start.plus(Duration.ofMinutes(i)),
              Math.round(slower * 2000 * Math.exp(0.4 * rng.nextGaussian())),
              BigDecimal.valueOf(cost).setScale(6, RoundingMode.HALF_UP),
              true,
              tokens,
              tokens / 4,
              2,
              1,
              rng.nextDouble() < 0.02 ? 1 : 0,
              0,
              List.of("gpt-4o"),
              List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"),
              null));
    }
    return out;
  }
}
