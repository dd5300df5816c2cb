package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With Kafka unreachable the agent keeps its pace and the exporter counts what it drops. */
class UnreachableKafkaTest {

  @Test
  void agentCodeNeverWaitsOnKafka_andDropsAreCounted() throws Exception {
    KafkaSpanExporter exporter =
        KafkaSpanExporter.builder("127.0.0.1:" + closedPort())
            .maxQueuedBatches(16)
            .shutdownTimeout(Duration.ofSeconds(1))
            .build();
    // SimpleSpanProcessor exports on the agent's own thread: the harshest case for blocking.
    try (AgentLedger ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build()) {
      long start = System.nanoTime();
      try (AgentRun run = ledger.agent("busy").start()) {
        for (int i = 0; i < 2_000; i++) {
          try (ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
            call.usage(100, 10);
          }
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      // 2,001 spans with a producer that cannot even fetch metadata (it would block 5 s per send):
      // the agent's loop must not be held up by it.
      assertThat(took).isLessThan(Duration.ofSeconds(20)); // blocking sends: 5 s each
      await().atMost(Duration.ofSeconds(30)).until(() -> exporter.droppedSpans() > 1_000);
    }
    assertThat(exporter.sentSpans()).isZero();
    assertThat(exporter.droppedSpans()).isGreaterThan(1_000);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
