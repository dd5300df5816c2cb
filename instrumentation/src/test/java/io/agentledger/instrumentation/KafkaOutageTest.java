package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.kafka.embedded.EmbeddedKafkaBroker;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka goes away and comes back: the agent never notices, and spans flow again. */
class KafkaOutageTest {

  @Test
  void spansFlowAgain_onceKafkaIsBack_andFlushWaitsForWhatIsInFlight(@TempDir Path dir) {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).start();
    try {
      broker.createTopic(KafkaSpanExporter.TOPIC, 1, Map.of());
      KafkaSpanExporter.Builder builder =
          KafkaSpanExporter.builder(broker.bootstrapServers())
              .shutdownTimeout(Duration.ofSeconds(20))
              .producerConfig("delivery.timeout.ms", 3_000)
              .producerConfig("request.timeout.ms", 1_000)
              .producerConfig("max.block.ms", 1_000);
      broker.clientProperties().forEach(builder::producerConfig);
      KafkaSpanExporter exporter = builder.build();
      try (AgentLedger ledger =
          AgentLedger.builder()
              .tracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                      .build())
              .build()) {
        runChain(ledger);
        // flush() returns once what was exported is acknowledged, not merely handed over.
        assertThat(exporter.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(exporter.sentSpans()).isEqualTo(2);
        assertThat(exporter.pendingSpans()).isZero();

        broker.close();
        runChain(ledger); // the agent is not held up; the spans are dropped and counted
        await().atMost(Duration.ofSeconds(60)).until(() -> exporter.droppedSpans() >= 2);

        broker.start();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  runChain(ledger);
                  CompletableResultCode flushed = exporter.flush();
                  flushed.join(10, TimeUnit.SECONDS);
                  return exporter.sentSpans() > 2;
                });
      }
      assertThat(exporter.sentSpans()).isGreaterThan(2);
    } finally {
      broker.close();
    }
  }

  private static void runChain(AgentLedger ledger) {
    try (AgentRun run = ledger.agent("a").start();
        ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
      call.usage(10, 1);
    }
  }
}
