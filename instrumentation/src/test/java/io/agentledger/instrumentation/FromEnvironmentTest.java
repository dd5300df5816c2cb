package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.agentledger.core.config.ConfigException;
import io.agentledger.kafka.embedded.EmbeddedKafkaBroker;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AgentLedger#fromEnvironment(Map)}: OpenTelemetry's variables and ours, from a map. */
class FromEnvironmentTest {

  private final List<Headers> headers = new CopyOnWriteArrayList<>();
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          headers.add(exchange.getRequestHeaders());
          try (InputStream in = exchange.getRequestBody()) {
            bodies.add(in.readAllBytes());
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void everyProblem_oursAndOpenTelemetrys_isReportedAtOnce() {
    assertThatThrownBy(
            () ->
                AgentLedger.fromEnvironment(
                    Map.of(
                        "AGENTLEDGER_EXPORTER", "carrier-pigeon",
                        "AGENTLEDGER_BUDGET_USD", "-1",
                        "AGENTLEDGER_CAPTURE_CONTENT", "maybe",
                        "AGENTLEDGER_SPANS_TOPIC", "spans/otlp",
                        "OTEL_TRACES_SAMPLER", "sometimes")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_EXPORTER='carrier-pigeon' (environment): expected one of"
                            + " [otlp, kafka]",
                        "AGENTLEDGER_SPANS_TOPIC='spans/otlp' (environment): expected a Kafka"
                            + " topic name ([a-zA-Z0-9._-], 1 to 249)",
                        "AGENTLEDGER_BUDGET_USD='-1' (environment): must be more than 0",
                        "AGENTLEDGER_CAPTURE_CONTENT='maybe' (environment): expected true or false",
                        "OpenTelemetry: Unrecognized value for otel.traces.sampler: sometimes"));
  }

  @Test
  void theKafkaExporter_needsItsCluster_andTheApiKeyIsNeverEchoed() {
    assertThatThrownBy(
            () ->
                AgentLedger.fromEnvironment(
                    Map.of(
                        "AGENTLEDGER_EXPORTER", "kafka",
                        "AGENTLEDGER_API_KEY", "al_do_not_print_me")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_KAFKA_BOOTSTRAP is required when AGENTLEDGER_EXPORTER=kafka"))
        .hasMessageNotContaining("al_do_not_print_me");
  }

  @Test
  void aKafkaClusterAddressKafkaRefuses_isAConfigurationProblem() {
    assertThatThrownBy(
            () ->
                AgentLedger.fromEnvironment(
                    Map.of(
                        "AGENTLEDGER_EXPORTER", "kafka",
                        "AGENTLEDGER_KAFKA_BOOTSTRAP", "no-port-here")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_KAFKA_BOOTSTRAP='no-port-here': Invalid url in"
                            + " bootstrap.servers: no-port-here"));
  }

  @Test
  void otlpVariables_endpointHeadersCompressionAndResource_areOpenTelemetrys() throws Exception {
    try (AgentLedger ledger =
        AgentLedger.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", base() + "/custom/traces",
                "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=acme%20corp",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "none",
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes",
                "OTEL_SERVICE_NAME", "crew-svc",
                "AGENTLEDGER_API_KEY", "al_secret_key_123456",
                "AGENTLEDGER_CAPTURE_CONTENT", "true"))) {
      assertThat(ledger.capturesContent()).isTrue();
      assertThat(ledger.budget()).isEmpty();
      ThreeAgentCrew.run(ledger);
    }
    assertThat(headers)
        .isNotEmpty()
        .allSatisfy(
            h -> {
              assertThat(h.getFirst("Authorization")).isEqualTo("Bearer al_secret_key_123456");
              assertThat(h.getFirst("x-tenant")).isEqualTo("acme corp");
              assertThat(h.getFirst("Content-Encoding")).isNull();
            });
    // Uncompressed protobuf: core decodes the bodies as they came.
    var spans = CrewAssertions.normalize(bodies, "p");
    assertThat(spans).hasSize(9);
    // OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES (the OTel spec).
    assertThat(spans).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("crew-svc"));
  }

  @Test
  void theSampler_isOpenTelemetrys() {
    try (AgentLedger ledger =
        AgentLedger.fromEnvironment(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", base(), "OTEL_TRACES_SAMPLER", "always_off"))) {
      ThreeAgentCrew.run(ledger);
    }
    assertThat(bodies).isEmpty(); // close() flushed: nothing sampled, nothing sent
  }

  @Test
  void theBudget_stopsTheCrewAtItsSecondModelCall() {
    try (AgentLedger ledger =
        AgentLedger.fromEnvironment(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", base(), "AGENTLEDGER_BUDGET_USD", "0.0001"))) {
      assertThat(ledger.budget()).isPresent();
      assertThatThrownBy(() -> ThreeAgentCrew.run(ledger))
          .isInstanceOf(BudgetExceededException.class);
    }
  }

  @Test
  void theKafkaExporter_writesToTheConfiguredTopic(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).start()) {
      broker.createTopic("team-a.spans", 1, Map.of());
      // The broker requires SASL/SCRAM: its credentials reach the exporter as a client properties
      // file, the way an external cluster's TLS or SASL settings would.
      Path clientFile = dir.resolve("client.properties");
      Properties credentials = new Properties();
      broker.clientProperties().forEach(credentials::setProperty);
      try (Writer out = Files.newBufferedWriter(clientFile, StandardCharsets.UTF_8)) {
        credentials.store(out, null);
      }
      String traceId;
      try (AgentLedger ledger =
          AgentLedger.fromEnvironment(
              Map.of(
                  "AGENTLEDGER_EXPORTER", "kafka",
                  "AGENTLEDGER_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                  "AGENTLEDGER_KAFKA_CLIENT_PROPERTIES", clientFile.toString(),
                  "AGENTLEDGER_PROJECT", "team-a",
                  "AGENTLEDGER_SPANS_TOPIC", "team-a.spans",
                  "OTEL_SERVICE_NAME", "crew-over-kafka"))) {
        traceId = ThreeAgentCrew.run(ledger);
      }
      List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
      Properties p = new Properties();
      p.putAll(broker.clientProperties());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of("team-a.spans"));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                  return CrewAssertions.normalize(
                              records.stream().map(ConsumerRecord::value).toList(), "x")
                          .size()
                      >= 9;
                });
      }
      assertThat(records)
          .allSatisfy(
              r -> {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(traceId);
                assertThat(
                        new String(
                            r.headers().lastHeader(KafkaSpanExporter.PROJECT_HEADER).value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("team-a");
              });
      // The Kafka path carries the resource too: OTEL_SERVICE_NAME names the service.
      assertThat(
              CrewAssertions.normalize(records.stream().map(ConsumerRecord::value).toList(), "x"))
          .allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("crew-over-kafka"));
    }
    assertThat(bodies).isEmpty(); // the OTLP exporter is off unless OTEL_TRACES_EXPORTER asks
  }

  @Test
  void theProtocol_isOpenTelemetrys_notIgnored() {
    // OpenTelemetry Java exports http/protobuf or grpc; anything else is a configuration problem.
    assertThatThrownBy(
            () ->
                AgentLedger.fromEnvironment(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        base(),
                        "OTEL_EXPORTER_OTLP_PROTOCOL",
                        "http/json")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly("OpenTelemetry: Unsupported OTLP traces protocol: http/json"));
  }

  @Test
  void aDeadOtlpEndpoint_isCountedInDroppedSpans() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AgentLedger ledger =
        AgentLedger.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + port,
                "OTEL_EXPORTER_OTLP_TIMEOUT",
                "2000"));
    try {
      ThreeAgentCrew.run(ledger);
      ledger.flush(Duration.ofSeconds(20));
      await().atMost(Duration.ofSeconds(30)).until(() -> ledger.droppedSpans() == 9);
    } finally {
      ledger.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void theReadme_listsEveryAgentLedgerVariable_asDeclared() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains(LedgerEnvironment.SETTINGS.markdownRows());
  }
}
