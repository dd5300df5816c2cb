package io.agentledger.standalone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import io.agentledger.standalone.api.ApiClient.Reply;
import io.agentledger.standalone.api.OtlpChains.Shape;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Security issue's acceptance test: a running standalone with two projects; project A sends
 * every hostile request of the findings (docs/security.md) and gets its documented answer, while
 * project B sends a steady workload of hand-priced chains that must flow throughout. At the end B's
 * totals are exact, the consumers have caught up, the heap is bounded and the process answers. One
 * subclass per store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HostileTenantSuite {

  static final String KEY_A = "attacker-key-0123456789abc";
  static final String KEY_B = "bystander-key-0123456789ab";
  static final String SPANS_TOPIC = "agentledger.spans.otlp";
  static final String DLQ_TOPIC = "agentledger.spans.dlq";

  /** Settings the suite lowers so a cap is reached with a few requests (all documented). */
  static final int CHAIN_MAX_SPANS = 100;

  static final int COSTS_MAX_CELLS = 8;
  static final int MAX_PRICE_OVERRIDES = 3;

  /** No answer to B may take longer than this, whatever A does. */
  static final Duration B_DEADLINE = Duration.ofSeconds(10);

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  final long started = System.nanoTime();
  final AtomicLong attackTraceNo = new AtomicLong(10_000_000);
  Standalone app;
  ApiClient api;
  BystanderWorkload bystander;

  /** The store's settings, added to the suite's own. */
  abstract Map<String, String> storeEnv(Path dir) throws Exception;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dir.toString());
    env.put("AGENTLEDGER_API_KEYS", "attacker:" + KEY_A + ",bystander:" + KEY_B);
    // AGENTLEDGER_HOST left at its default: finding 10 checks it is the loopback address.
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    env.put("AGENTLEDGER_CHAIN_MAX_SPANS", Integer.toString(CHAIN_MAX_SPANS));
    env.put("AGENTLEDGER_COSTS_MAX_CELLS", Integer.toString(COSTS_MAX_CELLS));
    env.put("AGENTLEDGER_MAX_PRICE_OVERRIDES", Integer.toString(MAX_PRICE_OVERRIDES));
    env.putAll(storeEnv(dir));
    app = Standalone.start(StandaloneConfig.from(env));
    api = new ApiClient(app.apiBase());
    bystander = new BystanderWorkload(app.tracesEndpoint());
    bystander.start();
    // B's traffic is flowing before the first attack.
    await().atMost(Duration.ofSeconds(30)).until(() -> bystander.acknowledged.get() >= 5);
  }

  @AfterAll
  void stop() {
    if (bystander != null) {
      bystander.stop();
    }
    if (app != null) {
      app.close();
    }
  }

  // --- 1: absurd reported costs, absurd prices ----------------------------------------------

  @Test
  @Order(1)
  void absurdReportedCosts_areIgnoredAndPricedFromUsage_withoutStallingIngestion()
      throws Exception {
    long huge = attackTraceNo.incrementAndGet();
    long tiny = attackTraceNo.incrementAndGet();
    long t0 = System.nanoTime();
    postOtlp(KEY_A, request(withChatAttribute(shapeA(huge), "llm.cost.total", "1e30")), 200);
    postOtlp(
        KEY_A, request(withChatAttribute(shapeA(tiny), "llm.cost.total", "1e-999999999")), 200);
    // docs/security.md, "Data bounds": the reported cost is ignored with a warning and the call
    // is priced from its usage and the catalog: 1,000 in + 100 out of gpt-4o-mini = $0.00021.
    for (long traceNo : List.of(huge, tiny)) {
      JsonNode chain = awaitChain(KEY_A, traceNo, 3, Duration.ofSeconds(20));
      assertThat(chain.path("costUsd").decimalValue())
          .as("trace %d", traceNo)
          .isEqualByComparingTo(OtlpChains.CALL_USD);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));

    // A price of 1e308 per million tokens is refused, and nothing is stored.
    Reply put =
        api.put("/api/v1/prices/openai/gpt-4o-mini", KEY_A, "{\"input\": 1e308, \"output\": 1}");
    assertProblem(put, 400, "input 1e308");
    assertThat(priceSource(KEY_A, "openai", "gpt-4o-mini")).contains("catalog");
  }

  // --- 2: gzip bombs ------------------------------------------------------------------------

  @Test
  @Order(2)
  void gzipBombs_64AtOnce_areRefusedWithinTheByteBudget() throws Exception {
    // 65 MiB of zeros gzip to ~65 KB: above the largest default decompressed limit (64 MiB).
    byte[] bomb = gzipZeros(65 << 20);
    assertThat(bomb.length).isLessThan(100_000);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicLong peakHeap = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                Thread.onSpinWait();
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    // Alone, a bomb is inflated up to the limit and refused: 413.
    HttpResponse<String> alone = bomb(bomb).get(60, TimeUnit.SECONDS);
    assertThat(alone.statusCode()).as(alone.body()).isEqualTo(413);
    List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      replies.add(bomb(bomb));
    }
    Map<Integer, Integer> statuses = new HashMap<>();
    for (CompletableFuture<HttpResponse<String>> reply : replies) {
      HttpResponse<String> r = reply.get(90, TimeUnit.SECONDS);
      statuses.merge(r.statusCode(), 1, Integer::sum);
      if (r.statusCode() == 429 || r.statusCode() == 503) {
        assertThat(r.headers().firstValue("Retry-After")).as(r.body()).isPresent();
      }
    }
    sampling.set(false);
    sampler.join();
    System.out.printf(
        "gzip bombs: statuses %s, heap peak %d MiB, in-flight peak %d MiB%n",
        statuses, peakHeap.get() >> 20, (long) gauge("agentledger.otlp.inflight.peak.bytes") >> 20);
    // docs/security.md: 413 above the decompressed limit, 429 over the byte budget or the
    // project's share or request slots, 503 when all body-read slots are taken.
    assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(413, 429, 503);
    assertThat(gauge("agentledger.otlp.inflight.peak.bytes")).isLessThanOrEqualTo(inFlightBudget());
    assertThat(api.get("/health", null).status()).isEqualTo(200);
  }

  private CompletableFuture<HttpResponse<String>> bomb(byte[] body) {
    return http.sendAsync(
        HttpRequest.newBuilder(app.tracesEndpoint())
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + KEY_A)
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // --- 3: invented methods ------------------------------------------------------------------

  @Test
  @Order(3)
  void inventedMethods_doNotGrowMetrics() throws Exception {
    // One of each first, so the closed label set (OTHER, 404/405/...) exists before measuring.
    for (URI base : List.of(app.apiBase(), app.tracesEndpoint())) {
      raw(base, "BREW0 /api/v1/chains HTTP/1.1\r\n", null);
      raw(base, "BREW0 /no-such-path-0 HTTP/1.1\r\n", null);
    }
    int before = api.text("/metrics").length();
    for (int i = 1; i <= 200; i++) {
      URI base = i % 2 == 0 ? app.apiBase() : app.tracesEndpoint();
      String path = i % 4 < 2 ? "/api/v1/chains" : "/no-such-path-" + i;
      String status = raw(base, "BREW" + i + " " + path + " HTTP/1.1\r\n", null);
      assertThat(status).as("BREW%d", i).matches("HTTP/1\\.1 [45]\\d\\d .*");
    }
    int after = api.text("/metrics").length();
    String metrics = api.text("/metrics");
    System.out.printf("invented methods: /metrics %d -> %d bytes%n", before, after);
    // Counters grow by a few digits; no series of their own.
    assertThat(after - before).isLessThan(2_000);
    assertThat(metrics).doesNotContain("BREW").doesNotContain("no-such-path-1");
  }

  // --- 4 and 9: bad query parameters ----------------------------------------------------------

  @Test
  @Order(4)
  void absurdAmountsTimesAndCursors_areFast400s_withAClearMessage() throws Exception {
    String trace = OtlpChains.traceId(attackTraceNo.get());
    record Bad(String query, String mentions) {}
    List<Bad> cases =
        List.of(
            new Bad("/api/v1/chains?minCostUsd=1e999999999", "minCostUsd"),
            new Bad("/api/v1/chains?minCostUsd=1e40", "minCostUsd"),
            new Bad("/api/v1/chains?minCostUsd=1e-999999999", "minCostUsd"),
            new Bad(
                "/api/v1/chains?order=cost&cursor=" + cursor("c1|1e999999999|" + trace), "cursor"),
            new Bad(
                "/api/v1/chains?order=cost&cursor=" + cursor("c1|1e-999999999|" + trace), "cursor"),
            new Bad("/api/v1/chains?order=cost&cursor=" + cursor("c1|1e40|" + trace), "cursor"),
            new Bad(
                "/api/v1/chains?cursor=" + cursor("s1|99999999999999999999|" + trace), "cursor"),
            new Bad("/api/v1/chains?cursor=%25%25not-base64%25%25", "cursor"),
            new Bad("/api/v1/chains?cursor=" + "A".repeat(5_000), "cursor"),
            new Bad("/api/v1/chains?from=-999999999-01-01T00:00:00Z", "from"),
            new Bad("/api/v1/chains?to=+999999999-12-31T23:59:59Z".replace("+", "%2B"), "to"),
            new Bad("/api/v1/costs?from=-999999999-01-01T00:00:00Z", "from"));
    for (Bad b : cases) {
      long t0 = System.nanoTime();
      Reply r = api.get(b.query(), KEY_A);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertProblem(r, 400, b.query());
      assertThat(r.body().path("detail").asText()).as(b.query()).contains(b.mentions());
      assertThat(took).as(b.query()).isLessThan(Duration.ofSeconds(2));
    }
  }

  // --- 5: slow bodies -------------------------------------------------------------------------

  @Test
  @Order(5)
  void slowBodies_50Connections_doNotStopTheOtherProjectsExports() throws Exception {
    int connections = 50;
    long before = bystander.acknowledged.get();
    List<CompletableFuture<String>> tricklers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      tricklers.add(
          CompletableFuture.supplyAsync(this::trickle, command -> new Thread(command).start()));
    }
    // While they trickle (the minimum rate applies after its 5 s grace), B's exports keep being
    // acknowledged.
    await().atMost(Duration.ofSeconds(5)).until(() -> bystander.acknowledged.get() >= before + 10);
    assertThat(tricklers).as("still trickling").anyMatch(t -> !t.isDone());
    Map<String, Integer> answers = new HashMap<>();
    for (CompletableFuture<String> t : tricklers) {
      answers.merge(t.get(30, TimeUnit.SECONDS), 1, Integer::sum);
    }
    System.out.printf("slow bodies: answers %s%n", answers);
    // The project's request slots (429) or the minimum rate after the grace (408); never accepted.
    assertThat(answers.keySet())
        .as("%s", answers)
        .allMatch(s -> s.matches("HTTP/1\\.1 (408|429|503) .*"));
    assertThat(answers.keySet()).anyMatch(s -> s.startsWith("HTTP/1.1 408"));
    assertThat(bystander.failures).isEmpty();
  }

  /** Sends headers for a 100 KB body, then 10 bytes a second for up to 8 s; the status line. */
  private String trickle() {
    try (Socket s = new Socket()) {
      URI traces = app.tracesEndpoint();
      s.connect(new InetSocketAddress(traces.getHost(), traces.getPort()), 5_000);
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + traces.getPath()
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + KEY_A
                  + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      InputStream in = s.getInputStream();
      try {
        while (System.nanoTime() < end && in.available() == 0) {
          out.write(0);
          out.flush();
          // A trickling client, not a timing assumption of the test: 10 bytes a second.
          TimeUnit.MILLISECONDS.sleep(100);
        }
      } catch (IOException e) {
        // The server closed the connection: its answer is still to be read.
      }
      return statusLine(in);
    } catch (IOException e) {
      return "I/O: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  // --- 6: huge chains and cost grids --------------------------------------------------------

  @Test
  @Order(6)
  void hugeChain_isCutToTheCap_andCostGridsAboveTheCapAre400() throws Exception {
    long traceNo = attackTraceNo.incrementAndGet();
    int spans = 1_000;
    postOtlp(KEY_A, hugeChain(traceNo, spans), 200);
    JsonNode chain = awaitChain(KEY_A, traceNo, spans, Duration.ofSeconds(30));
    assertThat(chain.path("treeTruncated").asBoolean()).isTrue();
    assertThat(chain.path("treeSpans").asInt()).isEqualTo(CHAIN_MAX_SPANS);
    assertThat(countNodes(chain.path("tree"))).isEqualTo(CHAIN_MAX_SPANS);
    assertProblem(
        api.get(
            "/api/v1/chains/" + OtlpChains.traceId(traceNo) + "?maxSpans=" + (CHAIN_MAX_SPANS + 1),
            KEY_A),
        400,
        "maxSpans above the cap");

    // More services than the cell cap: one group each.
    long now = System.currentTimeMillis();
    for (int i = 0; i <= COSTS_MAX_CELLS; i++) {
      long n = attackTraceNo.incrementAndGet();
      postOtlp(
          KEY_A,
          request(
              OtlpChains.resourceSpans(
                  new Shape(n, now, "svc-" + i, "1", "grid", "1", "s-grid", "u"))),
          200);
    }
    String window =
        "from="
            + Instant.now().minus(1, ChronoUnit.HOURS)
            + "&to="
            + Instant.now().plus(1, ChronoUnit.HOURS);
    Reply grid =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> api.get("/api/v1/costs?groupBy=service&" + window, KEY_A),
                r -> r.status() != 200);
    assertProblem(grid, 400, "groups above the cell cap");
    assertThat(grid.body().path("detail").asText()).contains(Integer.toString(COSTS_MAX_CELLS));
    assertProblem(
        api.get("/api/v1/costs?interval=1m&from=2020-01-01T00:00:00Z", KEY_A),
        400,
        "a minute grid over years");
  }

  // --- 7: Kafka -------------------------------------------------------------------------------

  @Test
  @Order(7)
  void kafka_withoutCredentialsNothingIsProduced_andARecordWithoutProjectIsDeadLettered()
      throws Exception {
    long traceNo = attackTraceNo.incrementAndGet();
    byte[] value = request(OtlpChains.resourceSpans(shapeA(traceNo)));

    Map<String, Object> anonymous = new HashMap<>();
    anonymous.put("bootstrap.servers", app.kafkaBootstrap());
    anonymous.put("max.block.ms", 5_000);
    anonymous.put("delivery.timeout.ms", 8_000);
    anonymous.put("request.timeout.ms", 3_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(anonymous, new ByteArraySerializer(), new ByteArraySerializer())) {
      assertThatThrownBy(
              () ->
                  producer.send(new ProducerRecord<>(SPANS_TOPIC, value)).get(15, TimeUnit.SECONDS))
          .isInstanceOfAny(ExecutionException.class, org.apache.kafka.common.KafkaException.class);
    }

    double deadLettered = counter("agentledger.dlq.records");
    Map<String, Object> client = new HashMap<>(app.kafkaClient());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(SPANS_TOPIC, value)).get(15, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> counter("agentledger.dlq.records") > deadLettered);
    String reason = deadLetterReason(client, traceNo);
    assertThat(reason).contains("missing record header agentledger.project");
    // Stored in neither project.
    for (String key : List.of(KEY_A, KEY_B)) {
      assertThat(api.get("/api/v1/chains/" + OtlpChains.traceId(traceNo), key).status())
          .isEqualTo(404);
    }
  }

  private String deadLetterReason(Map<String, Object> client, long traceNo) throws Exception {
    Map<String, Object> props = new HashMap<>(client);
    props.put("group.id", "hostile-dlq-reader-" + System.nanoTime());
    props.put("enable.auto.commit", "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(DLQ_TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      byte[] id = OtlpChains.id(16, traceNo).toByteArray();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (contains(r.value(), id) && r.headers().lastHeader("agentledger.error") != null) {
            return new String(
                r.headers().lastHeader("agentledger.error").value(), StandardCharsets.UTF_8);
          }
        }
      }
    }
    return "no dead letter for " + OtlpChains.traceId(traceNo);
  }

  // --- 8: price overrides ---------------------------------------------------------------------

  @Test
  @Order(8)
  void invalidPriceOverrides_are400_pricesStillServe_andTheOverrideCapHolds() throws Exception {
    List<String> invalid =
        List.of(
            "{\"input\": 1e308, \"output\": 1}",
            "{\"input\": \"cheap\", \"output\": 1}",
            "{\"input\": 1, \"output\": 1e-999999999}",
            "{\"input\": 1, \"output\": 1, \"kind\": \"telepathy\"}",
            "{\"input\": 1, \"output\": 1, \"effectiveFrom\": \"-999999999-01-01T00:00:00Z\"}",
            "{\"input\": 1, \"output\": 1, \"tiers\": [{\"aboveInputTokens\": -5, \"input\": 1,"
                + " \"output\": 1}]}",
            "{"
                + "\"input\": 1, ".repeat(3)
                + "\"output\": 1, \"x\": \""
                + "y".repeat(2_000_000)
                + "\"}");
    for (String body : invalid) {
      Reply r = api.put("/api/v1/prices/acme/bad-model", KEY_A, body);
      String what = body.length() > 100 ? body.substring(0, 100) + "..." : body;
      assertThat(r.status()).as("%s: %s", what, r.raw()).isIn(400, 413);
      assertThat(api.get("/api/v1/prices", KEY_A).status()).as(what).isEqualTo(200);
    }
    assertThat(priceSource(KEY_A, "acme", "bad-model")).isEmpty();

    for (int i = 0; i < MAX_PRICE_OVERRIDES; i++) {
      Reply ok = api.put("/api/v1/prices/acme/m" + i, KEY_A, "{\"input\": 1, \"output\": 2}");
      assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
    }
    assertProblem(
        api.put("/api/v1/prices/acme/one-too-many", KEY_A, "{\"input\": 1, \"output\": 2}"),
        409,
        "override above the cap");
    Reply replace = api.put("/api/v1/prices/acme/m0", KEY_A, "{\"input\": 3, \"output\": 4}");
    assertThat(replace.status()).as(replace.raw()).isEqualTo(200);
    assertThat(priceSource(KEY_A, "acme", "one-too-many")).isEmpty();
    // B's prices are its own: none of A's overrides.
    assertThat(priceSource(KEY_B, "acme", "m0")).isEmpty();
  }

  // --- 10: methods, headers, bind address -----------------------------------------------------

  @Test
  @Order(10)
  void wrongMethodIs405_everyAnswerHasTheSecurityHeaders_andThePortsAreOnLoopback()
      throws Exception {
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(app.apiBase().resolve("/api/v1/chains"))
                .header("Authorization", "Bearer " + KEY_A)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).as(post.body()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow"))
        .hasValueSatisfying(a -> assertThat(a).contains("GET"));

    List<HttpRequest> requests =
        List.of(
            HttpRequest.newBuilder(app.apiBase().resolve("/api/v1/chains"))
                .header("Authorization", "Bearer " + KEY_B)
                .build(),
            HttpRequest.newBuilder(app.apiBase().resolve("/api/v1/no-such-route"))
                .header("Authorization", "Bearer " + KEY_B)
                .build(),
            HttpRequest.newBuilder(app.apiBase().resolve("/api/v1/chains")).build(),
            HttpRequest.newBuilder(app.apiBase().resolve("/health")).build(),
            HttpRequest.newBuilder(app.tracesEndpoint())
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpRequest.newBuilder(app.apiBase().resolve("/api/v1/chains"))
                .header("Authorization", "Bearer " + KEY_A)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    for (HttpRequest request : requests) {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      String what = request.method() + " " + request.uri() + " -> " + r.statusCode();
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(what).contains("nosniff");
      assertThat(r.headers().firstValue("Cache-Control"))
          .as(what)
          .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
      assertThat(r.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
    }

    // The default bind address is the loopback one; the machine's other addresses do not answer.
    assertThat(app.config().host()).isEqualTo("127.0.0.1");
    assertThat(StandaloneConfig.from(Map.of()).host()).isEqualTo("127.0.0.1");
    Optional<InetAddress> external = externalAddress();
    if (external.isPresent()) {
      for (int port : List.of(app.apiBase().getPort(), app.tracesEndpoint().getPort())) {
        try (Socket s = new Socket()) {
          assertThatThrownBy(() -> s.connect(new InetSocketAddress(external.get(), port), 2_000))
              .as("%s:%d", external.get(), port)
              .isInstanceOfAny(ConnectException.class, SocketTimeoutException.class);
        }
      }
    } else {
      System.out.println("no non-loopback address on this machine: bind checked by config only");
    }
  }

  // --- the end: B's totals exact, lag 0, heap bounded, alive ----------------------------------

  @Test
  @Order(100)
  void afterAllAttacks_theBystandersTotalsAreExact_lagIsZero_heapIsBounded() throws Exception {
    bystander.stop();
    assertThat(bystander.failures).as("B's exports during the attacks").isEmpty();
    int sent = bystander.acknowledged.get();
    assertThat(sent).isGreaterThan(20);
    System.out.printf(
        "bystander: %d chains acknowledged, slowest export %d ms%n",
        sent, bystander.slowestMillis.get());
    assertThat(Duration.ofMillis(bystander.slowestMillis.get())).isLessThan(B_DEADLINE);

    await().atMost(Duration.ofSeconds(60)).until(() -> app.consumerLag() == 0);

    String window =
        "from="
            + Instant.now().minus(1, ChronoUnit.HOURS)
            + "&to="
            + Instant.now().plus(1, ChronoUnit.HOURS);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> total(window).path("llmCalls").asLong() >= sent);
    JsonNode total = total(window);
    assertThat(total.path("llmCalls").asLong()).isEqualTo(sent);
    assertThat(total.path("chains").asLong()).isEqualTo(sent);
    assertThat(total.path("costUsd").decimalValue())
        .isEqualByComparingTo(
            new BigDecimal(OtlpChains.CALL_USD).multiply(BigDecimal.valueOf(sent)));

    List<JsonNode> chains = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              chains.clear();
              chains.addAll(listAll("/api/v1/chains?limit=1000&" + window, KEY_B));
              return chains.size() >= sent;
            });
    assertThat(chains).hasSize(sent);
    assertThat(chains)
        .allSatisfy(
            c -> {
              assertThat(c.path("costUsd").decimalValue())
                  .isEqualByComparingTo(OtlpChains.CALL_USD);
              assertThat(c.path("service").asText()).isEqualTo("bystander-svc");
            });
    assertThat(chains.stream().map(c -> c.path("traceId").asText()).distinct().count())
        .isEqualTo(sent);

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long usedAfterGc = memory.getHeapMemoryUsage().getUsed();
    System.out.printf(
        "end: heap used after GC %d MiB of %d MiB max; suite took %d s%n",
        usedAfterGc >> 20,
        memory.getHeapMemoryUsage().getMax() >> 20,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    assertThat(usedAfterGc).isLessThan(512L << 20);
    String metrics = api.text("/metrics");
    assertThat(metrics).contains("jvm_memory_used_bytes");
    assertThat(api.get("/health", null).status()).isEqualTo(200);
  }

  // --- B's workload ---------------------------------------------------------------------------

  /** Project B: one hand-priced chain ($0.00021) every 100 ms, each export timed. */
  final class BystanderWorkload {
    final AtomicInteger acknowledged = new AtomicInteger();
    final AtomicLong slowestMillis = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final URI traces;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BystanderWorkload(URI traces) {
      this.traces = traces;
      this.thread = new Thread(this::run, "bystander");
    }

    void start() {
      thread.start();
    }

    void stop() {
      running.set(false);
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void run() {
      long traceNo = 1;
      while (running.get()) {
        long n = traceNo++;
        byte[] body =
            request(
                OtlpChains.resourceSpans(
                    new Shape(
                        n,
                        System.currentTimeMillis(),
                        "bystander-svc",
                        "1",
                        "steady",
                        "1",
                        "s-steady",
                        "u-b")));
        long t0 = System.nanoTime();
        try {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(traces)
                      .timeout(B_DEADLINE)
                      .header("Authorization", "Bearer " + KEY_B)
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          slowestMillis.accumulateAndGet(
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
          if (r.statusCode() == 200) {
            acknowledged.incrementAndGet();
          } else {
            failures.add("trace " + n + ": " + r.statusCode() + " " + r.body());
          }
        } catch (IOException e) {
          failures.add("trace " + n + ": " + e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        try {
          // The workload's pace (a steady client), not a wait for the system under test.
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private Shape shapeA(long traceNo) {
    return new Shape(
        traceNo, System.currentTimeMillis(), "attacker-svc", "1", "probe", "1", "s-attack", "u-a");
  }

  private static ResourceSpans withChatAttribute(Shape shape, String key, String value) {
    ResourceSpans.Builder b = OtlpChains.resourceSpans(shape).toBuilder();
    b.getScopeSpansBuilder(0).getSpansBuilder(1).addAttributes(OtlpChains.str(key, value));
    return b.build();
  }

  private static byte[] request(ResourceSpans spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(spans).build().toByteArray();
  }

  /** One agent span with {@code spans - 1} tool calls under it. */
  private static byte[] hugeChain(long traceNo, int spans) {
    long t0 = System.currentTimeMillis() * 1_000_000L;
    var trace = OtlpChains.id(16, traceNo);
    var root = OtlpChains.id(8, traceNo * 10_000);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    scope.addSpans(
        Span.newBuilder()
            .setTraceId(trace)
            .setSpanId(root)
            .setName("invoke_agent huge")
            .setStartTimeUnixNano(t0)
            .setEndTimeUnixNano(t0 + 5_000_000_000L)
            .addAttributes(OtlpChains.str("gen_ai.operation.name", "invoke_agent"))
            .addAttributes(OtlpChains.str("gen_ai.agent.name", "huge")));
    for (int i = 1; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(trace)
              .setSpanId(OtlpChains.id(8, traceNo * 10_000 + i))
              .setParentSpanId(root)
              .setName("execute_tool t")
              .setStartTimeUnixNano(t0 + i * 1_000_000L)
              .setEndTimeUnixNano(t0 + i * 1_000_000L + 500_000L)
              .addAttributes(OtlpChains.str("gen_ai.operation.name", "execute_tool"))
              .addAttributes(OtlpChains.str("gen_ai.tool.name", "t")));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder().addAttributes(OtlpChains.str("service.name", "huge-svc")))
                .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  private void postOtlp(String key, byte[] body, int expected) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(app.tracesEndpoint())
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
  }

  private JsonNode awaitChain(String key, long traceNo, int spans, Duration deadline) {
    return await()
        .atMost(deadline)
        .until(
            () -> api.get("/api/v1/chains/" + OtlpChains.traceId(traceNo), key),
            r -> r.status() == 200 && r.body().path("spanCount").asInt() == spans)
        .body();
  }

  private Optional<String> priceSource(String key, String provider, String model) throws Exception {
    Reply prices = api.get("/api/v1/prices", key);
    assertThat(prices.status()).as(prices.raw()).isEqualTo(200);
    return StreamSupport.stream(prices.body().path("models").spliterator(), false)
        .filter(
            m ->
                m.path("provider").asText().equals(provider)
                    && m.path("model").asText().equals(model))
        .map(m -> m.path("source").asText())
        .findFirst();
  }

  private JsonNode total(String window) throws Exception {
    Reply r = api.get("/api/v1/costs?" + window, KEY_B);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode groups = r.body().path("groups");
    return groups.isEmpty() ? ApiClient.JSON.createObjectNode() : groups.get(0);
  }

  private List<JsonNode> listAll(String first, String key) throws Exception {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    do {
      Reply r = api.get(first + (cursor == null ? "" : "&cursor=" + ApiClient.q(cursor)), key);
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      r.body().path("items").forEach(items::add);
      cursor = r.body().has("nextCursor") ? r.body().path("nextCursor").asText() : null;
    } while (cursor != null);
    return items;
  }

  private static int countNodes(JsonNode nodes) {
    int n = 0;
    for (JsonNode node : nodes) {
      n += 1 + countNodes(node.path("children"));
    }
    return n;
  }

  private static String cursor(String plain) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzipZeros(int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int written = 0; written < size; written += zeros.length) {
        gz.write(zeros, 0, Math.min(zeros.length, size - written));
      }
    }
    return out.toByteArray();
  }

  /** The in-flight byte budget by its documented default: a quarter of the heap, 16 to 256 MiB. */
  private static long inFlightBudget() {
    long quarter = Runtime.getRuntime().maxMemory() / 4;
    return Math.max(16L << 20, Math.min(256L << 20, quarter));
  }

  private double gauge(String name) {
    return app.metrics().get(name).gauge().value();
  }

  private double counter(String name) {
    return app.metrics().get(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** Sends a raw request line (and optional body) with no other headers but Host; status line. */
  private static String raw(URI base, String requestLine, String body) throws IOException {
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      String text =
          requestLine
              + "Host: localhost\r\nConnection: close\r\nContent-Length: "
              + (body == null ? 0 : body.length())
              + "\r\n\r\n"
              + (body == null ? "" : body);
      s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return statusLine(s.getInputStream());
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.length() == 0 ? "(connection closed without an answer)" : line.toString();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static Optional<InetAddress> externalAddress() throws IOException {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  static void assertProblem(Reply r, int status, String what) {
    assertThat(r.status()).as("%s: %s", what, r.raw()).isEqualTo(status);
    assertThat(r.contentType()).as(what).startsWith("application/problem+json");
    assertThat(r.body().path("detail").asText()).as(what).isNotBlank();
    assertThat(r.raw()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
