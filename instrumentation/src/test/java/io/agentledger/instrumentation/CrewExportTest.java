package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.agentledger.kafka.embedded.EmbeddedKafkaBroker;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three-agent crew exported through Kafka and through OTLP, read back by core. */
class CrewExportTest {

  @TempDir Path dir;

  @Test
  void throughKafkaSpanExporter_intoARealBroker_everySpanCarriesTheGenAiAttributes()
      throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).start()) {
      broker.createTopic(KafkaSpanExporter.TOPIC, 2, Map.of());
      // The broker requires SASL/SCRAM: the exporter takes the credentials as producer settings.
      KafkaSpanExporter.Builder builder =
          KafkaSpanExporter.builder(broker.bootstrapServers()).project("acme");
      broker.clientProperties().forEach(builder::producerConfig);
      KafkaSpanExporter exporter = builder.build();
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
              .build();
      String traceId;
      try (AgentLedger ledger = AgentLedger.builder().tracerProvider(provider).build()) {
        traceId = ThreeAgentCrew.run(ledger);
      }
      assertThat(exporter.sentSpans()).isEqualTo(9);
      assertThat(exporter.droppedSpans()).isZero();

      List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
      Properties p = new Properties();
      p.putAll(broker.clientProperties());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(KafkaSpanExporter.TOPIC));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                  return CrewAssertions.normalize(payloads(records), "acme").size() >= 9;
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
                    .isEqualTo("acme");
              });
      CrewAssertions.assertCrew(
          CrewAssertions.normalize(payloads(records), "acme"), traceId, false);
    }
  }

  @Test
  void throughTheOtelOtlpExporter_withContentCapture_theSameChainAndCost() throws Exception {
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            bodies.add(in.readAllBytes());
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      OtlpHttpSpanExporter exporter =
          OtlpHttpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces")
              .build();
      String traceId;
      try (AgentLedger ledger =
          AgentLedger.builder()
              .tracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                      .build())
              .captureContent(true)
              .build()) {
        traceId = ThreeAgentCrew.run(ledger);
      }
      CrewAssertions.assertCrew(CrewAssertions.normalize(bodies, "acme"), traceId, true);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void fromEnvironment_exportsOverOtlpWithTheApiKeyAndServiceName() throws Exception {
    List<String> auth = new CopyOnWriteArrayList<>();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
          try (InputStream in = new java.util.zip.GZIPInputStream(exchange.getRequestBody())) {
            bodies.add(in.readAllBytes());
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      String traceId;
      try (AgentLedger ledger =
          AgentLedger.fromEnvironment(
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                      "http://127.0.0.1:" + server.getAddress().getPort(),
                  "AGENTLEDGER_API_KEY", "al_secret_key_123456",
                  "OTEL_SERVICE_NAME", "crew-svc",
                  "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test"))) {
        traceId = ThreeAgentCrew.run(ledger);
      }
      assertThat(auth).isNotEmpty().allMatch("Bearer al_secret_key_123456"::equals);
      var spans = CrewAssertions.normalize(bodies, "p");
      CrewAssertions.assertCrew(spans, traceId, false);
      assertThat(spans).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("crew-svc"));
    } finally {
      server.stop(0);
    }
  }

  private static List<byte[]> payloads(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }
}
