package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Kafka exporter's counts, as OpenTelemetry metrics of the meter provider it is given. */
class KafkaExporterMetricsTest {

  @Test
  void droppedSentAndPendingSpans_areReportedAsOtelMetrics_untilShutdown() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      KafkaSpanExporter exporter =
          KafkaSpanExporter.builder("127.0.0.1:" + closedPort())
              .producerConfig("max.block.ms", 200)
              .shutdownTimeout(Duration.ofSeconds(1))
              .meterProvider(meters)
              .build();
      try (AgentLedger ledger =
          AgentLedger.builder()
              .tracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                      .build())
              .build()) {
        try (AgentRun run = ledger.agent("metered").start()) {
          for (int i = 0; i < 20; i++) {
            try (ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
              call.usage(100, 10);
            }
          }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> exporter.droppedSpans() >= 21);
        Map<String, Long> values = values(reader.collectAllMetrics());
        assertThat(values)
            .containsEntry("agentledger.exporter.spans.dropped", exporter.droppedSpans())
            .containsEntry("agentledger.exporter.spans.sent", 0L)
            .containsKey("agentledger.exporter.spans.pending");
        assertThat(values.get("agentledger.exporter.spans.dropped")).isGreaterThanOrEqualTo(21);
      }
      exporter.shutdown(); // idempotent: the ledger's provider may have shut it down already
      // Once shut down, its instruments are gone.
      assertThat(values(reader.collectAllMetrics())).isEmpty();
    }
  }

  /** Metric name → its one point's value, for the points marked exporter=kafka. */
  private static Map<String, Long> values(Collection<MetricData> metrics) {
    return metrics.stream()
        .filter(m -> m.getName().startsWith("agentledger.exporter."))
        .collect(
            Collectors.toMap(
                MetricData::getName,
                m -> {
                  Collection<? extends LongPointData> points =
                      m.getType() == io.opentelemetry.sdk.metrics.data.MetricDataType.LONG_GAUGE
                          ? m.getLongGaugeData().getPoints()
                          : m.getLongSumData().getPoints();
                  assertThat(points).hasSize(1);
                  LongPointData p = points.iterator().next();
                  assertThat(p.getAttributes().get(AttributeKey.stringKey("exporter")))
                      .isEqualTo("kafka");
                  return p.getValue();
                }));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
