package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.testing.OtlpRequests;
import io.agentledger.core.testing.SdkSpans;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.TimeRange;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpEndToEndIT {

  private static final String SPANS = "tenant-a.spans";
  private static final String DEAD_LETTERS = "tenant-a.dead-letters";

  @TempDir static Path dir;
  static Pipeline pipeline;

  @BeforeAll
  static void start() {
    // Topic names other than the defaults: every part of the pipeline must follow the settings.
    pipeline =
        new Pipeline(
            dir,
            CollectorConfig.from(
                Map.of(
                    "AGENTLEDGER_SPANS_TOPIC", SPANS,
                    "AGENTLEDGER_DLQ_TOPIC", DEAD_LETTERS)));
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static TimeRange aroundNow() {
    Instant now = Instant.now();
    return new TimeRange(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
  }

  @Test
  void otelSdkOtlpExporter_tenThousandAgentSpans_allQueryableWithTheRightCost() {
    List<String> traceIds = new ArrayList<>();
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(pipeline.tracesUri().toString())
            .addHeader("Authorization", "Bearer " + Pipeline.KEY_B)
            .setCompression("gzip")
            .build();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.getDefault().toBuilder().put("service.name", "e2e").build())
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter)
                    .setMaxQueueSize(20_000)
                    .setMaxExportBatchSize(512)
                    .build())
            .build()) {
      Tracer tracer = provider.get("e2e");
      // 500 chains × (1 agent + 9 chat + 10 tool) = 10,000 spans.
      traceIds.addAll(SdkSpans.workerChains(tracer, 500));
      assertThat(provider.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    // Each chat: 1000 × $0.15/M + 100 × $0.60/M = $0.00021; 9 a chain, 500 chains = $0.945.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              CostReport r =
                  pipeline.store.costs(
                      "beta", new CostQuery(aroundNow(), List.of(), Optional.empty()));
              assertThat(r.groups()).isNotEmpty();
              assertThat(r.groups().get(0).llmCalls()).isEqualTo(4500);
            });
    CostReport.Group total =
        pipeline
            .store
            .costs("beta", new CostQuery(aroundNow(), List.of(), Optional.empty()))
            .groups()
            .get(0);
    assertThat(total.costUsd()).isEqualByComparingTo("0.945");
    assertThat(total.unpricedCalls()).isZero();
    Map<String, List<AgentSpan>> chains = pipeline.store.chainSpans("beta", traceIds);
    assertThat(chains).hasSize(500);
    assertThat(chains.values()).allSatisfy(spans -> assertThat(spans).hasSize(20));
    ChainRollupResult one = ChainRollup.compute(chains.get(traceIds.get(0)));
    assertThat(one.summary().costUsd()).isEqualByComparingTo("0.00189");
    assertThat(one.byAgent())
        .singleElement()
        .satisfies(a -> assertThat(a.agent()).isEqualTo("worker"));
    assertThat(pipeline.store.chainSpans("alpha", traceIds.get(0))).isEmpty(); // other project
  }

  @Test
  void recordsAsTheOtelCollectorKafkaExporterWritesThem_areIngested() throws Exception {
    // otlp_proto encoding: the ExportTraceServiceRequest bytes; the project header comes from the
    // exporter's include_metadata_keys (docs/ingestion.md).
    List<SpanData> spans = SdkSpans.agentChain();
    String traceId = spans.get(0).getTraceId();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(
              SPANS, traceId.getBytes(StandardCharsets.UTF_8), SdkSpans.protobuf(spans));
      record.headers().add(Topics.PROJECT_HEADER, "gamma".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.store.chainSpans("gamma", traceId).size() == spans.size());
    ChainRollupResult r = ChainRollup.compute(pipeline.store.chainSpans("gamma", traceId));
    // chat gpt-4o on 2025-11-23 (price since 2024-10-02): 476 uncached × $2.50/M + 1024 cached ×
    // $1.25/M + 320 output × $10/M = 0.00119 + 0.00128 + 0.0032 = $0.00567; the agent's copy of the
    // same usage is a roll-up and does not count again.
    assertThat(r.summary().costUsd()).isEqualByComparingTo("0.00567");
    assertThat(r.summary().spanCount()).isEqualTo(3);
    assertThat(pipeline.store.chainSpans("gamma", traceId))
        .filteredOn(s -> s.type().isModelCall())
        .singleElement()
        .satisfies(s -> assertThat(s.cost().source()).isEqualTo(CostSource.COMPUTED));
  }

  @Test
  void anUndecodableRecord_goesToTheDeadLetterTopic_andDoesNotStallItsPartition() throws Exception {
    byte[] garbage = {0x0a, (byte) 0xff, 0x01, 0x02};
    byte[] good = OtlpRequests.modelCalls(900, 1, 3).toByteArray();
    String key = "same-partition-key";
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      ProducerRecord<byte[], byte[]> bad =
          new ProducerRecord<>(SPANS, key.getBytes(StandardCharsets.UTF_8), garbage);
      bad.headers().add(Topics.PROJECT_HEADER, "alpha".getBytes(StandardCharsets.UTF_8));
      producer.send(bad).get();
      ProducerRecord<byte[], byte[]> ok =
          new ProducerRecord<>(SPANS, key.getBytes(StandardCharsets.UTF_8), good);
      ok.headers().add(Topics.PROJECT_HEADER, "alpha".getBytes(StandardCharsets.UTF_8));
      producer.send(ok).get();
    }
    String goodTrace = io.agentledger.core.otlp.HexIds.toHex(OtlpRequests.id(16, 900 * 1000 + 1));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.store.chainSpans("alpha", goodTrace).size() == 3);
    ConsumerRecord<byte[], byte[]> r = deadLetter(key);
    assertThat(r.value()).isEqualTo(garbage);
    assertThat(
            new String(r.headers().lastHeader(Topics.ERROR_HEADER).value(), StandardCharsets.UTF_8))
        .isNotBlank();
    assertThat(
            new String(
                r.headers().lastHeader(Topics.SOURCE_HEADER).value(), StandardCharsets.UTF_8))
        .startsWith(SPANS + "-");
    assertThat(
            new String(
                r.headers().lastHeader(Topics.PROJECT_HEADER).value(), StandardCharsets.UTF_8))
        .isEqualTo("alpha");
    assertThat(
            pipeline.registry.counter("agentledger.dlq.records", "reason", "undecodable").count())
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aRecordWithoutTheProjectHeader_isDeadLetteredWithTheReason_andNeverStored()
      throws Exception {
    // The resource attribute names a project, but whoever wrote the record chose it: not trusted.
    ExportTraceServiceRequest request = OtlpRequests.modelCalls(901, 1, 2);
    ExportTraceServiceRequest claimingAlpha =
        request.toBuilder()
            .setResourceSpans(
                0,
                request.getResourceSpans(0).toBuilder()
                    .setResource(
                        request.getResourceSpans(0).getResource().toBuilder()
                            .addAttributes(OtlpRequests.str("agentledger.project", "alpha"))))
            .build();
    String traceId =
        io.agentledger.core.otlp.HexIds.toHex(
            claimingAlpha.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId());
    String key = "no-project-header";
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  SPANS, key.getBytes(StandardCharsets.UTF_8), claimingAlpha.toByteArray()))
          .get();
    }

    ConsumerRecord<byte[], byte[]> r = deadLetter(key);
    assertThat(r.value()).isEqualTo(claimingAlpha.toByteArray());
    assertThat(
            new String(r.headers().lastHeader(Topics.ERROR_HEADER).value(), StandardCharsets.UTF_8))
        .isEqualTo(
            "missing record header agentledger.project: every record must name its project"
                + " (see docs/ingestion.md)");
    // A later record of the same partition is stored: the consumer has moved past the first one,
    // and nothing of it was stored.
    ExportTraceServiceRequest sentinel = OtlpRequests.modelCalls(902, 1, 1);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      ProducerRecord<byte[], byte[]> ok =
          new ProducerRecord<>(SPANS, key.getBytes(StandardCharsets.UTF_8), sentinel.toByteArray());
      ok.headers().add(Topics.PROJECT_HEADER, "alpha".getBytes(StandardCharsets.UTF_8));
      producer.send(ok).get();
    }
    String sentinelTrace =
        io.agentledger.core.otlp.HexIds.toHex(OtlpRequests.id(16, 902 * 1000 + 1));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.store.chainSpans("alpha", sentinelTrace).size() == 1);
    for (String project : List.of("alpha", "beta", "default")) {
      assertThat(pipeline.store.chainSpans(project, traceId)).isEmpty();
    }
  }

  /** The first record with this key in the dead-letter topic (read by a group of its own). */
  private static ConsumerRecord<byte[], byte[]> deadLetter(String key) {
    Properties p = new Properties();
    p.putAll(pipeline.broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + key);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> dlq =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      dlq.subscribe(List.of(DEAD_LETTERS));
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                dlq.poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                            got.add(r);
                          }
                        });
                return !got.isEmpty();
              });
      return got.get(0);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.putAll(pipeline.broker.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static BigDecimal usd(String v) {
    return new BigDecimal(v);
  }
}
