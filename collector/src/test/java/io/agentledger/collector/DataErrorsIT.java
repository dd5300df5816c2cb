package io.agentledger.collector;

import static io.agentledger.core.testing.OtlpRequests.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.testing.OtlpRequests;
import io.agentledger.store.SpanWriter;
import io.agentledger.store.StoreException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data errors are never retried (docs/security.md, "Data bounds"): absurd values are bounded at
 * normalization, a record the store still refuses goes to the dead-letter topic alone, and the
 * other project's chains keep arriving; transient failures are retried, bounded, and visible.
 */
class DataErrorsIT {

  @TempDir static Path dir;
  static Pipeline pipeline;
  static RefusingStore refusing;

  /**
   * The real store, refusing for good any batch with a span named "poison" (a value it cannot
   * hold).
   */
  static final class RefusingStore implements SpanWriter {
    final SpanWriter store;
    final AtomicInteger transientFailures = new AtomicInteger();

    RefusingStore(SpanWriter store) {
      this.store = store;
    }

    @Override
    public int append(List<AgentSpan> spans) {
      if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StoreException("database is locked", true);
      }
      if (spans.stream().anyMatch(s -> s.name().equals("poison"))) {
        throw new StoreException("invalid decimal precision, max expected: 38, actual: 43", false);
      }
      return store.append(spans);
    }
  }

  @BeforeAll
  static void start() {
    CollectorConfig config =
        CollectorConfig.from(
            Map.of(
                "AGENTLEDGER_STORE_RETRY_BACKOFF", "PT0.05S",
                "AGENTLEDGER_STORE_RETRY_BACKOFF_MAX", "PT0.1S"));
    pipeline =
        new Pipeline(
            dir,
            config,
            w -> {
              refusing = new RefusingStore(w);
              return refusing;
            });
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static ExportTraceServiceRequest call(long seq, String name, KeyValue... extra) {
    ExportTraceServiceRequest.Builder r = OtlpRequests.modelCalls(seq, 1, 1).toBuilder();
    var span = r.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
    span.setName(name);
    for (KeyValue kv : extra) {
      span.addAttributes(kv);
    }
    return r.build();
  }

  private static String trace(long seq) {
    return HexIds.toHex(OtlpRequests.id(16, seq * 1000 + 1));
  }

  private static void post(String key, ExportTraceServiceRequest request) throws Exception {
    int status =
        pipeline
            .post(
                OtlpRequests.gzip(request.toByteArray()),
                Map.of(
                    "Content-Type", "application/x-protobuf",
                    "Content-Encoding", "gzip",
                    "Authorization", "Bearer " + key))
            .statusCode();
    assertThat(status).isEqualTo(200);
  }

  @Test
  void absurdReportedCosts_areBoundedAndStored_whileTheOtherProjectFlows() throws Exception {
    post(Pipeline.KEY_A, call(101, "chat", str("llm.cost.total", "1e30")));
    post(Pipeline.KEY_A, call(102, "chat", str("llm.cost.total", "1e-999999999")));
    post(Pipeline.KEY_A, call(103, "chat", str("gen_ai.usage.input_tokens", "1e20")));
    post(Pipeline.KEY_B, call(104, "chat"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.store.chainSpans("beta", trace(104)).size() == 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pipeline.store.chainSpans("alpha", trace(101)).size() == 1
                    && pipeline.store.chainSpans("alpha", trace(102)).size() == 1
                    && pipeline.store.chainSpans("alpha", trace(103)).size() == 1);
    // The reported costs are ignored (1e30) or zero (1e-999999999, which for a priced model with
    // usage is a failed lookup): both are priced from their usage, like the plain call of beta.
    BigDecimal priced = pipeline.store.chainSpans("beta", trace(104)).get(0).cost().amountUsd();
    assertThat(priced).isPositive();
    AgentSpan huge = pipeline.store.chainSpans("alpha", trace(101)).get(0);
    assertThat(huge.cost().source()).isEqualTo(CostSource.COMPUTED);
    assertThat(huge.cost().amountUsd()).isEqualByComparingTo(priced);
    AgentSpan tiny = pipeline.store.chainSpans("alpha", trace(102)).get(0);
    assertThat(tiny.cost().amountUsd()).isEqualByComparingTo(priced);
    AgentSpan tokens = pipeline.store.chainSpans("alpha", trace(103)).get(0);
    assertThat(tokens.cost().source()).isEqualTo(CostSource.UNKNOWN);
    assertThat(pipeline.ingest.problem()).isEmpty();
  }

  @Test
  void aRecordTheStoreRefuses_isDeadLetteredAlone_andNothingElseStalls() throws Exception {
    post(Pipeline.KEY_A, call(201, "poison"));
    post(Pipeline.KEY_A, call(202, "chat"));
    post(Pipeline.KEY_B, call(203, "chat"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pipeline.store.chainSpans("beta", trace(203)).size() == 1
                    && pipeline.store.chainSpans("alpha", trace(202)).size() == 1);
    List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters("refused-reader", 1);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> r = dead.get(0);
    assertThat(header(r, Topics.ERROR_HEADER)).contains("invalid decimal precision");
    assertThat(header(r, Topics.PROJECT_HEADER)).isEqualTo("alpha");
    assertThat(header(r, Topics.SOURCE_HEADER)).startsWith(pipeline.config.spansTopic() + "-");
    assertThat(pipeline.store.chainSpans("alpha", trace(201))).isEmpty();
    assertThat(pipeline.registry.counter("agentledger.spans.refused").count()).isEqualTo(1.0);
    assertThat(pipeline.ingest.running()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.ingest.problem().isEmpty());
  }

  @Test
  void transientFailures_areRetriedBoundedAndVisible_thenEverythingIsStored() throws Exception {
    refusing.transientFailures.set(3 * 5); // three rounds of every attempt failing
    post(Pipeline.KEY_B, call(301, "chat"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.ingest.problem().orElse("").contains("database is locked"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.store.chainSpans("beta", trace(301)).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.ingest.problem().isEmpty());
    assertThat(pipeline.registry.counter("agentledger.store.write.retries").count())
        .isGreaterThanOrEqualTo(15.0);
    assertThat(pipeline.ingest.running()).isTrue();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(String group, int atLeast) {
    Properties p = new Properties();
    p.putAll(pipeline.broker.clientProperties());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> dlq =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      dlq.subscribe(List.of(pipeline.config.deadLetterTopic()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                dlq.poll(Duration.ofMillis(200)).forEach(got::add);
                return got.size() >= atLeast;
              });
    }
    return got;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
