package io.agentledger.standalone;

import static io.agentledger.core.testing.OtlpRequests.id;
import static io.agentledger.core.testing.OtlpRequests.integer;
import static io.agentledger.core.testing.OtlpRequests.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.agentledger.analyzer.notify.WebhookSink;
import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.clickhouse.embedded.LocalClickHouseAvailable;
import io.agentledger.kafka.embedded.EmbeddedKafkaBroker;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out deployment on this machine: one Kafka (the embedded broker), one ClickHouse
 * (clickhouse-local, {@link LocalClickHouse}), and {@code agentledger collector} ×2, {@code
 * agentledger analyzer} ×2 and {@code agentledger api} as five child processes, as the compose file
 * runs them. 100,000 spans (2,000 chains of 50) are sent to both collectors while one collector and
 * one analyzer are killed (SIGKILL) midway; clients retry on the other collector as OTLP exporters
 * do. Then: every acknowledged span is stored once, every chain is settled with exact totals, the
 * per-agent costs are exact, and every alert finding (four budget rules per agent, crossed before
 * and after the kill) is raised once and delivered to the webhook once, counting a repeat of a
 * delivery id as the receiver the README describes does: as one.
 */
@ExtendWith(LocalClickHouseAvailable.class)
class ScaleOutIT {

  private static final String PROJECT = "scale";
  private static final String KEY = "so_test_key_0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int REQUESTS = 1_000;
  // Chains of 50 spans: 100,000 spans in 2,000 chains, each settled once complete.
  private static final int TRACES_PER_REQUEST = 2;
  private static final int CALLS_PER_TRACE = 49; // under one agent span
  private static final int SPANS_PER_TRACE = CALLS_PER_TRACE + 1;
  private static final int SPANS = REQUESTS * TRACES_PER_REQUEST * SPANS_PER_TRACE; // 100,000
  private static final int CHAINS = REQUESTS * TRACES_PER_REQUEST;
  private static final int AGENTS = 10;

  /** gpt-4o-mini, 100 input and 10 output tokens: $0.15/M × 100 + $0.60/M × 10. */
  private static final BigDecimal USD_PER_CALL = new BigDecimal("0.000021");

  private static final BigDecimal USD_PER_CHAIN =
      USD_PER_CALL.multiply(BigDecimal.valueOf(CALLS_PER_TRACE));
  private static final BigDecimal USD_PER_AGENT =
      USD_PER_CHAIN.multiply(BigDecimal.valueOf(CHAINS / AGENTS)); // $0.2058

  /** Budget rules per agent: crossed at about a fifth, two fifths... of each agent's spend. */
  private static final List<String> THRESHOLDS = List.of("0.035", "0.07", "0.11", "0.15");

  private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

  @TempDir Path dir;

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final Map<String, ChildStandalone> children = new java.util.LinkedHashMap<>();
  private boolean passed;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() throws Exception {
    if (!passed) {
      children.forEach(
          (name, child) -> {
            List<String> out = child.output;
            System.out.println("--- " + name + ", last lines of " + out.size() + ":");
            out.subList(Math.max(0, out.size() - 40), out.size()).forEach(System.out::println);
          });
    }
    while (!open.isEmpty()) {
      open.pop().close();
    }
  }

  @Test
  void twoCollectorsAndTwoAnalyzers_oneOfEachKilledMidway_everySpanChainAndFindingOnce()
      throws Exception {
    long started = System.nanoTime();
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            deliveries.add(
                new Delivery(
                    ex.getRequestHeaders().getFirst(WebhookSink.DELIVERY),
                    JSON.readTree(in.readAllBytes())));
          }
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    webhook.start();
    open.push(() -> webhook.stop(0));

    EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).port(0).start();
    open.push(kafka);
    LocalClickHouse clickHouse = LocalClickHouse.shared();
    String database = "scale_out_" + ProcessHandle.current().pid();
    clickHouse.query("DROP DATABASE IF EXISTS " + database);
    clickHouse.query("CREATE DATABASE " + database);

    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_API_KEYS", PROJECT + ":" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_STORE", "clickhouse");
    env.put("AGENTLEDGER_CLICKHOUSE_URL", clickHouse.jdbcUrl(database));
    env.put("AGENTLEDGER_CLICKHOUSE_USER", clickHouse.user());
    env.put("AGENTLEDGER_CLICKHOUSE_PASSWORD", clickHouse.password());
    Map<String, String> client = kafka.clientProperties();
    env.put("AGENTLEDGER_KAFKA_BOOTSTRAP", client.get("bootstrap.servers"));
    env.put("AGENTLEDGER_KAFKA_SECURITY_PROTOCOL", client.get("security.protocol"));
    env.put("AGENTLEDGER_KAFKA_SASL_MECHANISM", client.get("sasl.mechanism"));
    env.put("AGENTLEDGER_KAFKA_SASL_USERNAME", "agentledger");
    Matcher password = JAAS_PASSWORD.matcher(client.get("sasl.jaas.config"));
    assertThat(password.find()).isTrue();
    env.put("AGENTLEDGER_KAFKA_SASL_PASSWORD", password.group(1));
    env.put("AGENTLEDGER_SPAN_PARTITIONS", "4");
    env.put("AGENTLEDGER_CONSUMERS", "2");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    env.put("AGENTLEDGER_SETTLE_SHARDS", "4");
    env.put("AGENTLEDGER_ANALYZER_LEASE_TERM", "4s");
    env.put("AGENTLEDGER_ALERT_INTERVAL", "1s");
    env.put("AGENTLEDGER_ALERT_HTTP_TIMEOUT", "500ms");
    env.put("AGENTLEDGER_ALERT_RETRY_INITIAL", "200ms");
    env.put(
        "AGENTLEDGER_ALERT_WEBHOOK_URL",
        "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");

    // The API first, which creates the schema, then the collectors, then the analyzers: waves of
    // JVM start-ups rather than five at once on a small machine. (With the API and the collectors
    // migrating one clickhouse-local at once, all three once hung at start for three minutes.)
    ChildStandalone api = start("api", env);
    URI apiBase = api.api();
    ChildStandalone collectorA = start("collector", env);
    ChildStandalone collectorB = start("collector", env);
    List<URI> collectors = List.of(collectorA.traces(), collectorB.traces());
    ChildStandalone analyzerA = start("analyzer", env);
    ChildStandalone analyzerB = start("analyzer", env);
    analyzerA.operations();
    analyzerB.operations();
    long upMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("ScaleOutIT: five processes up after " + upMillis + " ms");

    for (String threshold : THRESHOLDS) {
      HttpResponse<String> created =
          call(
              apiBase,
              "POST",
              "/api/v1/alerts/rules",
              "{\"name\":\"over $"
                  + threshold
                  + "\",\"kind\":\"budget\",\"scope\":\"agent\",\"window\":\"1h\",\"threshold\":"
                  + threshold
                  + "}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    // Four clients, two per collector; a client whose collector dies goes on with the other.
    AtomicInteger next = new AtomicInteger();
    AtomicLong acked = new AtomicLong();
    List<Boolean> alive = new CopyOnWriteArrayList<>(List.of(true, true));
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> sending = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int preferred = c % 2;
      sending.add(clients.submit(() -> send(collectors, preferred, alive, next, acked)));
    }
    // Deadlines, not timings: generous for a CI machine shared with other builds.
    await("half of the spans acknowledged")
        .atMost(Duration.ofMinutes(4))
        .until(() -> acked.get() >= SPANS / 2);
    System.out.printf(
        "ScaleOutIT: %d spans acknowledged after %d ms, killing collector-1 and analyzer-3%n",
        acked.get(), (System.nanoTime() - started) / 1_000_000);
    collectorA.kill();
    analyzerA.kill();
    alive.set(0, false);
    long killedAt = acked.get();
    for (Future<?> f : sending) {
      f.get();
    }
    clients.shutdown();
    assertThat(acked.get()).isEqualTo(SPANS);
    assertThat(killedAt).isLessThan(SPANS);

    // Every acknowledged span stored once (FINAL: what every read sees).
    String spans = "SELECT count(), uniqExact(TraceId, SpanId) FROM " + database + ".spans FINAL";
    await("every span stored")
        .atMost(Duration.ofMinutes(3))
        .until(() -> clickHouse.query(spans).trim().equals(SPANS + "\t" + SPANS));

    // The collector left standing measured each record's freshness, receipt to stored.
    String metrics = call(collectorB.operations(), "GET", "/metrics", null).body();
    Matcher fresh =
        Pattern.compile("(?m)^agentledger_spans_freshness_seconds_count (\\S+)$").matcher(metrics);
    assertThat(fresh.find()).as(metrics).isTrue();
    assertThat(Double.parseDouble(fresh.group(1))).isPositive();
    assertThat(metrics).contains("agentledger_spans_freshness_seconds_bucket{le=\"30.0\"}");

    // Every chain settled, with its exact totals (its agent attributed, its ten spans, its cost).
    String chains =
        "SELECT count(), countIf(SpanCount = "
            + SPANS_PER_TRACE
            + " AND LlmCalls = "
            + CALLS_PER_TRACE
            + " AND CostUsd = toDecimal128('"
            + USD_PER_CHAIN.toPlainString()
            + "', 12) AND startsWith(Agent, 'agent-')) FROM "
            + database
            + ".chains FINAL";
    System.out.printf(
        "ScaleOutIT: every span stored after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    String progress =
        "SELECT SpanCount, count() FROM "
            + database
            + ".chains FINAL GROUP BY SpanCount ORDER BY SpanCount FORMAT TSV";
    String watermarks =
        "SELECT Key, Value FROM " + database + ".pipeline_state FINAL ORDER BY Key FORMAT TSV";
    AtomicInteger polls = new AtomicInteger();
    await("every chain settled")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (polls.incrementAndGet() % 10 == 0) {
                System.out.printf(
                    "ScaleOutIT: %d ms: chains by span count %s; %s%n",
                    (System.nanoTime() - started) / 1_000_000,
                    clickHouse.query(progress).trim().replace('\n', ' '),
                    clickHouse.query(watermarks).trim().replace('\n', ' '));
              }
              return clickHouse.query(chains).trim().equals(CHAINS + "\t" + CHAINS);
            });
    System.out.printf(
        "ScaleOutIT: every chain settled after %d ms%n", (System.nanoTime() - started) / 1_000_000);

    // Per-agent totals through the query API: exact.
    JsonNode costs =
        JSON.readTree(
            call(
                    apiBase,
                    "GET",
                    "/api/v1/costs?groupBy=agent&from="
                        + Instant.now().minus(Duration.ofHours(1))
                        + "&to="
                        + Instant.now().plus(Duration.ofMinutes(5)),
                    null)
                .body());
    assertThat(costs.get("groups")).hasSize(AGENTS);
    for (JsonNode group : costs.get("groups")) {
      assertThat(group.at("/key/agent").asText()).startsWith("agent-");
      assertThat(group.get("costUsd").decimalValue()).isEqualByComparingTo(USD_PER_AGENT);
      assertThat(group.get("llmCalls").asLong())
          .isEqualTo((long) CHAINS / AGENTS * CALLS_PER_TRACE);
    }

    // Every finding (each rule crossed by each agent) delivered; none raised twice, also after
    // some more alert cycles and lease terms of the analyzer left. A delivery may be repeated, with
    // its delivery id, which a receiver drops (README): the killed analyzer may have sent it
    // without living to record it, or a loaded machine may time out an answer.
    int findings = THRESHOLDS.size() * AGENTS;
    await("every finding delivered")
        .atMost(Duration.ofMinutes(3))
        .until(() -> firing(deliveries).size() >= findings);
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Map<String, Delivery> first = new java.util.LinkedHashMap<>();
              deliveries.forEach(d -> first.putIfAbsent(d.id(), d));
              assertThat(deliveries)
                  .allSatisfy(
                      d ->
                          assertThat(d.notification()).isEqualTo(first.get(d.id()).notification()));
              assertThat(firing(deliveries)).hasSize(findings);
            });
    assertThat(firing(deliveries).keySet())
        .allSatisfy(finding -> assertThat(finding).matches("agent-\\d/rule-.+"));

    passed = true;
    long seconds = (System.nanoTime() - started) / 1_000_000_000;
    System.out.printf(
        "ScaleOutIT: %d spans, %d chains, %d findings (%d deliveries repeated); processes up in %d"
            + " ms; killed at %d acked; %d s in all%n",
        SPANS,
        CHAINS,
        findings,
        deliveries.size() - deliveries.stream().map(Delivery::id).distinct().count(),
        upMillis,
        killedAt,
        seconds);
  }

  /**
   * Firing alerts received, repeats of a delivery id dropped, by agent and rule name; fails on a
   * finding that fired twice.
   */
  private static Map<String, String> firing(List<Delivery> deliveries) {
    Map<String, JsonNode> byId = new java.util.LinkedHashMap<>();
    deliveries.forEach(d -> byId.putIfAbsent(d.id(), d.body()));
    return byId.values().stream()
        .filter(
            b ->
                b.path("source").asText().equals("alert")
                    && b.path("status").asText().equals("firing"))
        .collect(
            Collectors.toMap(
                b -> b.at("/labels/agent").asText() + "/" + b.at("/labels/rule").asText(),
                b -> b.path("findingId").asText(),
                (a, b) -> {
                  throw new AssertionError("finding fired twice: " + a + ", " + b);
                }));
  }

  private record Delivery(String id, JsonNode body) {
    /** What a repeat must repeat. */
    List<String> notification() {
      return List.of(
          body.path("findingId").asText(),
          body.path("status").asText(),
          body.path("labels").toString());
    }
  }

  private ChildStandalone start(String role, Map<String, String> env) throws IOException {
    Map<String, String> own = new HashMap<>(env);
    own.put("AGENTLEDGER_DATA_DIR", dir.resolve(role + "-" + open.size()).toString());
    ChildStandalone child =
        new ChildStandalone(
            List.of(),
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"),
            role,
            own);
    open.push(child);
    children.put(role + "-" + children.size(), child);
    return child;
  }

  /**
   * Sends requests until none is left, each until acknowledged (a 200), to its preferred collector
   * while that one lives, then the other; a refused or failed request is retried as OTLP exporters
   * do (which may store a span twice in Kafka: the store keeps it once).
   */
  private Void send(
      List<URI> collectors,
      int preferred,
      List<Boolean> alive,
      AtomicInteger next,
      AtomicLong acked)
      throws InterruptedException {
    for (int seq = next.getAndIncrement(); seq < REQUESTS; seq = next.getAndIncrement()) {
      byte[] body = request(seq).toByteArray();
      int attempt = 0;
      while (true) {
        int target = alive.get(preferred) ? (preferred + attempt) % 2 : 1;
        try {
          HttpResponse<Void> r =
              http.send(
                  HttpRequest.newBuilder(collectors.get(target))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/x-protobuf")
                      .header("Authorization", "Bearer " + KEY)
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            acked.addAndGet((long) TRACES_PER_REQUEST * SPANS_PER_TRACE);
            break;
          }
          assertThat(r.statusCode()).isIn(429, 503);
        } catch (IOException e) {
          // the collector died under the request: not acknowledged, sent again
        }
        attempt++;
        Thread.sleep(50); // a client's back-off before its retry, not a timing wait
      }
    }
    return null;
  }

  /** Request {@code seq}: two chains, each an agent span (agents in turn) and 49 model calls. */
  static ExportTraceServiceRequest request(int seq) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < TRACES_PER_REQUEST; t++) {
      long chain = (long) seq * TRACES_PER_REQUEST + t + 1;
      ByteString traceId = id(16, chain);
      ByteString root = id(8, chain * 100);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(traceId)
              .setSpanId(root)
              .setName("invoke_agent")
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .setStartTimeUnixNano(now)
              .setEndTimeUnixNano(now + 20_000_000)
              .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
              .addAttributes(str("gen_ai.agent.name", "agent-" + (chain % AGENTS))));
      for (int s = 1; s <= CALLS_PER_TRACE; s++) {
        scope.addSpans(
            Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(id(8, chain * 100 + s))
                .setParentSpanId(root)
                .setName("chat gpt-4o-mini")
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(now + s * 1_000_000L)
                .setEndTimeUnixNano(now + s * 1_000_000L + 500_000)
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.provider.name", "openai"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o-mini"))
                .addAttributes(integer("gen_ai.usage.input_tokens", 100))
                .addAttributes(integer("gen_ai.usage.output_tokens", 10)));
      }
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "scale")))
                .addScopeSpans(scope))
        .build();
  }

  private HttpResponse<String> call(URI base, String method, String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
