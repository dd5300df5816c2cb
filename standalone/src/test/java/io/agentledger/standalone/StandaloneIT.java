package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.testing.SdkSpans;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone as users run it: real SDK exporters in, the query API out, restarts between. */
class StandaloneIT {

  private static final String KEY = "al_test_key_0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  private Map<String, String> env(int kafkaPort) {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", Integer.toString(kafkaPort));
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    // A SIGKILLed process's consumers stay in the group until their session times out; the
    // restart's consumers get the partitions after 6 s instead of Kafka's 45 s (the broker's
    // minimum; the scenario and what it asserts are the same).
    env.put("AGENTLEDGER_CONSUMER_SESSION_TIMEOUT", "6s");
    return env;
  }

  @Test
  void tenThousandSpansFromTheOtelSdk_becomeQueryableWithTheRightCosts() throws Exception {
    try (Standalone app = Standalone.start(StandaloneConfig.from(env(0)))) {
      List<String> traceIds = sendChains(app.tracesEndpoint(), 500);

      // Each chain: 9 × (1000 in × $0.15/M + 100 out × $0.60/M) = 9 × $0.00021 = $0.00189;
      // 500 chains × 20 spans = 10,000 spans, $0.945 in all.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> totals(app).path("llmCalls").asLong() == 4500);
      JsonNode total = totals(app);
      assertThat(total.path("costUsd").decimalValue()).isEqualByComparingTo("0.945");
      assertThat(total.path("chains").asLong()).isEqualTo(500);

      JsonNode chain = get(app, "/api/v1/chains/" + traceIds.get(0));
      assertThat(chain.path("spanCount").asInt()).isEqualTo(20);
      assertThat(chain.path("costUsd").decimalValue()).isEqualByComparingTo("0.00189");
      assertThat(chain.path("costComplete").asBoolean()).isTrue();
      assertThat(chain.path("byAgent").get(0).path("agent").asText()).isEqualTo("worker");

      JsonNode health = get(app, "/health");
      assertThat(health.path("status").asText()).isEqualTo("ok");
      String metrics = getText(app.apiBase().resolve("/metrics"));
      assertThat(metrics)
          .contains("agentledger_spans_accepted_total")
          .contains("agentledger_consumer_lag");
    }
  }

  @Test
  void sigtermFlushesEverything_andARestartFindsEveryAcknowledgedSpanOnce() throws Exception {
    int kafkaPort = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "up")
            .redirectErrorStream(true);
    pb.environment().putAll(env(kafkaPort));
    Process child = pb.start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<URI> endpoint = new CompletableFuture<>();
    Process running = child;
    Thread reader =
        new Thread(
            () -> {
              Pattern traces = Pattern.compile("OTLP/HTTP traces\\s+(\\S+)");
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  output.add(line);
                  Matcher m = traces.matcher(line);
                  if (m.find()) {
                    endpoint.complete(URI.create(m.group(1)));
                  }
                }
              } catch (IOException e) {
                endpoint.completeExceptionally(e);
              }
              endpoint.completeExceptionally(
                  new IllegalStateException("standalone exited: " + String.join("\n", output)));
            });
    reader.start();
    try {
      URI traces = endpoint.get(120, TimeUnit.SECONDS);
      List<String> traceIds = sendChains(traces, 100); // 2,000 spans, all acknowledged
      assertThat(traceIds).hasSize(100);

      // SIGTERM, as `kill` or `docker stop` sends. Through the handle: Process.destroy() would also
      // close our end of the child's stdout and lose what the shutdown prints.
      assertThat(child.toHandle().destroy()).isTrue();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      assertThat(output).as("exit %d", child.exitValue()).contains("AgentLedger: stopped cleanly.");
      assertThat(child.exitValue()).isIn(0, 143); // 143 = 128 + SIGTERM, after the hooks ran
    } finally {
      child.destroyForcibly();
    }

    // Started again on the same data directory: the broker's log and the consumer group's offsets
    // survived, every acknowledged span is there once, nothing was counted twice.
    try (Standalone app = Standalone.start(StandaloneConfig.from(env(kafkaPort)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> totals(app).path("llmCalls").asLong() >= 900);
      JsonNode total = totals(app);
      assertThat(total.path("llmCalls").asLong()).isEqualTo(900);
      assertThat(total.path("costUsd").decimalValue()).isEqualByComparingTo("0.189");
    }
  }

  @Test
  void sigkillMidStream_thenRestart_everyAcknowledgedSpanIsStoredOnce() throws Exception {
    int kafkaPort = freePort();
    AtomicLong acked = new AtomicLong();
    List<Long> unanswered = new CopyOnWriteArrayList<>();
    try (ChildStandalone child = new ChildStandalone(List.of(), env(kafkaPort))) {
      ModelCalls client = new ModelCalls(child.traces(), KEY);
      Thread exporter =
          new Thread(
              () -> {
                for (long seq = 1; ; seq++) {
                  try {
                    int status;
                    while ((status = client.post(seq)) != 200) {
                      assertThat(status).isIn(429, 503);
                    }
                    acked.addAndGet(ModelCalls.SPANS);
                  } catch (IOException | InterruptedException e) {
                    unanswered.add(seq); // the exporter retries it once the collector is back
                    return;
                  }
                }
              },
              "exporter");
      exporter.start();
      await().atMost(Duration.ofSeconds(120)).until(() -> acked.get() >= 2_000);
      child.kill(); // SIGKILL mid-stream: no shutdown hook, batches neither written nor committed
      exporter.join(30_000);
      assertThat(child.output).doesNotContain("AgentLedger: stopped cleanly.");
    }
    assertThat(unanswered).hasSize(1);

    try (Standalone app = Standalone.start(StandaloneConfig.from(env(kafkaPort)))) {
      ModelCalls client = new ModelCalls(app.tracesEndpoint(), KEY);
      await().atMost(Duration.ofSeconds(60)).until(() -> client.post(unanswered.get(0)) == 200);
      long expected = acked.get() + ModelCalls.SPANS;
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> totals(app).path("llmCalls").asLong() >= expected);
      JsonNode total = totals(app);
      assertThat(total.path("llmCalls").asLong()).isEqualTo(expected);
      assertThat(total.path("costUsd").decimalValue())
          .isEqualByComparingTo(ModelCalls.USD_PER_SPAN.multiply(BigDecimal.valueOf(expected)));
    }
  }

  @Test
  void externalKafka_isUsedInsteadOfTheEmbeddedBroker_andGetsItsTopics(@TempDir Path kafkaDir)
      throws Exception {
    try (io.agentledger.kafka.embedded.EmbeddedKafkaBroker external =
        io.agentledger.kafka.embedded.EmbeddedKafkaBroker.builder(kafkaDir).start()) {
      Map<String, String> env = env(0);
      env.put("AGENTLEDGER_KAFKA_BOOTSTRAP", external.bootstrapServers());
      // The external cluster requires SASL/SCRAM, as docs/security.md asks of one.
      Matcher password =
          Pattern.compile("password=\"([^\"]+)\"")
              .matcher(external.clientProperties().get("sasl.jaas.config"));
      assertThat(password.find()).isTrue();
      env.put("AGENTLEDGER_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
      env.put("AGENTLEDGER_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
      env.put("AGENTLEDGER_KAFKA_SASL_USERNAME", "agentledger");
      env.put("AGENTLEDGER_KAFKA_SASL_PASSWORD", password.group(1));
      try (Standalone app = Standalone.start(StandaloneConfig.from(env))) {
        assertThat(app.kafkaBootstrap()).isEqualTo(external.bootstrapServers());
        sendChains(app.tracesEndpoint(), 10);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> totals(app).path("llmCalls").asLong() == 90);
      }
      assertThat(dataDir.resolve("kafka")).doesNotExist();
      try (org.apache.kafka.clients.admin.Admin admin =
          org.apache.kafka.clients.admin.Admin.create(
              Map.<String, Object>copyOf(external.clientProperties()))) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains("agentledger.spans.otlp", "agentledger.spans.dlq");
      }
    }
  }

  @Test
  void dataAndKeys_areReadableByTheOwnerOnly_andTheKeyIsPrintedOnlyWhenCreated() throws Exception {
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = env(0);
    env.remove("AGENTLEDGER_API_KEYS");
    StandaloneConfig config = StandaloneConfig.from(env);
    String key;
    try (Standalone app = Standalone.start(config)) {
      key = app.generatedKey().orElseThrow();
      assertThat(app.keyCreated()).isTrue();
      assertThat(Main.banner(app, 1)).contains(key);
      assertThat(mode(dataDir)).isEqualTo("rwx------");
      for (String file :
          List.of("agentledger.duckdb", "api-key.txt", "api-keys.sha256", "kafka.credentials")) {
        assertThat(mode(dataDir.resolve(file))).as(file).isEqualTo("rw-------");
      }
      assertThat(mode(dataDir.resolve("kafka"))).isEqualTo("rwx------");
    }
    try (Standalone app = Standalone.start(config)) {
      assertThat(app.generatedKey()).contains(key);
      assertThat(app.keyCreated()).isFalse();
      assertThat(Main.banner(app, 1)).doesNotContain(key).contains("./agentledger key");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(Main.printKey(config, print(out), print(err))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(key + System.lineSeparator());
    assertThat(Main.printKey(StandaloneConfig.from(env(0)), print(out), print(err))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("AGENTLEDGER_API_KEYS");
  }

  private static PrintStream print(ByteArrayOutputStream sink) {
    return new PrintStream(sink, true, StandardCharsets.UTF_8);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** {@code chains} chains of 1 agent span, 9 gpt-4o-mini calls and 10 tool calls each. */
  private static List<String> sendChains(URI traces, int chains) {
    List<String> traceIds = new ArrayList<>();
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(traces.toString())
            .addHeader("Authorization", "Bearer " + KEY)
            .setCompression("gzip")
            .build();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder().put("service.name", "worker-svc").build())
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter)
                    .setMaxQueueSize(20_000)
                    .setMaxExportBatchSize(512)
                    .build())
            .build()) {
      Tracer tracer = provider.get("standalone-it");
      traceIds.addAll(SdkSpans.workerChains(tracer, chains));
      assertThat(provider.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    return traceIds;
  }

  /** The project's total over the last day, from {@code GET /api/v1/costs}. */
  private JsonNode totals(Standalone app) throws Exception {
    JsonNode groups = get(app, "/api/v1/costs").path("groups");
    return groups.isEmpty() ? JSON.createObjectNode() : groups.get(0);
  }

  private JsonNode get(Standalone app, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(app.apiBase().resolve(path))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private String getText(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
