package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.collector.otlp.OtlpReceiver;
import io.agentledger.core.logs.LogSpans;
import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpLogsDecoder;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.testing.OtlpRequests;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/logs} and {@code /v1/metrics} through the real pipeline, with the logs the real
 * Claude Code CLI exported (core's {@code fixtures/otlp/claude-code}): the same auth, encodings and
 * statuses as traces, model calls stored as spans and costed, the rest dropped and counted.
 */
class OtlpLogsAndMetricsIT {

  private static final String FIXTURES = "/fixtures/otlp/claude-code/";
  private static final Map<String, String> PROTOBUF_GZIP_ALPHA =
      Map.of(
          "Content-Type", "application/x-protobuf",
          "Content-Encoding", "gzip",
          "Authorization", "Bearer " + Pipeline.KEY_A);

  @TempDir static Path dir;
  static Pipeline pipeline;

  @BeforeAll
  static void start() {
    pipeline = new Pipeline(dir, CollectorConfig.from(Map.of()));
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void claudeCodeLogs_becomeOneCostedChainPerPrompt_andARetryChangesNothing() throws Exception {
    byte[] first = fixture("01-events.logs.binpb");
    byte[] second = fixture("03-events.logs.binpb");
    for (byte[] body : List.of(first, second, first)) { // the first again: a client's retry
      HttpResponse<byte[]> r =
          pipeline.post(OtlpReceiver.LOGS_PATH, OtlpRequests.gzip(body), PROTOBUF_GZIP_ALPHA);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
      assertThat(ExportLogsServiceResponse.parseFrom(r.body()).hasPartialSuccess()).isFalse();
    }
    String trace = HexIds.toHex(LogSpans.promptTrace(promptId(first)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.store.chainSpans("alpha", trace).size() == 4);
    List<AgentSpan> spans = pipeline.store.chainSpans("alpha", trace);
    ChainRollupResult chain = ChainRollup.compute(spans);
    assertThat(chain.summary().llmCalls()).isEqualTo(2);
    assertThat(chain.summary().toolCalls()).isEqualTo(1);
    assertThat(chain.summary().costUsd()).isEqualByComparingTo("0.042225");
    assertThat(chain.summary().costComplete()).isTrue();
    assertThat(
            pipeline
                .registry
                .counter("agentledger.otlp.records", "signal", "logs", "outcome", "kept")
                .count())
        .isEqualTo(2 * kept(first) + kept(second)); // the first was posted twice
    assertThat(
            pipeline
                .registry
                .counter("agentledger.otlp.records", "signal", "logs", "outcome", "dropped")
                .count())
        .isPositive();
  }

  /**
   * The real {@code openlit} package's export with its GenAI events ({@code
   * core/.../openlit-events}, bills by hand in core's {@code OpenLitEventsFixtureTest}): the events
   * alone bill each call (input and output, they carry no cache reads); when the spans arrive, each
   * call counts once, at the span's price; the model without a price stays unknown.
   */
  @Test
  void genAiEvents_billTheCallAlone_andOnceBesideTheirSpans() throws Exception {
    byte[] logs = coreFixture("/fixtures/otlp/openlit-events/02-chat-unpriced.logs.json");
    byte[] traces = coreFixture("/fixtures/otlp/openlit-events/01-chat-unpriced.json");
    Map<String, String> json =
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + Pipeline.KEY_A);
    List<String> traceIds =
        OtlpTraceDecoder.decode(traces, OtlpFormat.JSON).getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .map(span -> HexIds.toHex(span.getTraceId()))
            .toList();
    assertThat(traceIds).hasSize(3).doesNotHaveDuplicates();

    assertThat(pipeline.post(OtlpReceiver.LOGS_PATH, logs, json).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> storedSpans(traceIds) == 3);
    assertThat(bills(traceIds)).containsExactly("0.000297", "0.00036", "unknown");

    assertThat(pipeline.post(OtlpReceiver.PATH, traces, json).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> storedSpans(traceIds) == 6);
    assertThat(bills(traceIds)).containsExactly("0.000201", "0.000285", "unknown");
    for (String trace : traceIds) {
      assertThat(
              ChainRollup.compute(pipeline.store.chainSpans("alpha", trace)).summary().llmCalls())
          .isEqualTo(1);
    }
  }

  private static int storedSpans(List<String> traceIds) {
    return traceIds.stream().mapToInt(t -> pipeline.store.chainSpans("alpha", t).size()).sum();
  }

  /** Each chain's cost, or "unknown" when not complete, sorted. */
  private static List<String> bills(List<String> traceIds) {
    return traceIds.stream()
        .map(t -> ChainRollup.compute(pipeline.store.chainSpans("alpha", t)).summary())
        .map(c -> c.costComplete() ? c.costUsd().stripTrailingZeros().toPlainString() : "unknown")
        .sorted()
        .toList();
  }

  @Test
  void logsInJson_areReadLikeTraces() throws Exception {
    byte[] body = fixture("05-events-json.logs.json");
    HttpResponse<byte[]> r =
        pipeline.post(
            OtlpReceiver.LOGS_PATH,
            body,
            Map.of(
                "Content-Type", "application/json", "Authorization", "Bearer " + Pipeline.KEY_B));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    String promptId =
        promptId(
            OtlpLogsDecoder.decode(body, OtlpFormat.JSON).toByteArray()); // same record, protobuf
    String trace = HexIds.toHex(LogSpans.promptTrace(promptId));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !pipeline.store.chainSpans("beta", trace).isEmpty());
    assertThat(pipeline.store.chainSpans("alpha", trace)).isEmpty(); // the key decides the project
  }

  @Test
  void logsAndMetrics_answerLikeTraces_whenTheRequestIsWrong() throws Exception {
    for (String path : List.of(OtlpReceiver.LOGS_PATH, OtlpReceiver.METRICS_PATH)) {
      byte[] valid = fixture("04-events.metrics.binpb");
      assertThat(
              pipeline
                  .post(path, valid, Map.of("Content-Type", "application/x-protobuf"))
                  .statusCode())
          .as(path + " without a key")
          .isEqualTo(401);
      assertThat(
              pipeline
                  .post(
                      path,
                      valid,
                      Map.of(
                          "Content-Type",
                          "text/plain",
                          "Authorization",
                          "Bearer " + Pipeline.KEY_A))
                  .statusCode())
          .as(path + " as text/plain")
          .isEqualTo(415);
      assertThat(
              pipeline
                  .post(
                      path,
                      "{not json".getBytes(StandardCharsets.UTF_8),
                      Map.of(
                          "Content-Type",
                          "application/json",
                          "Authorization",
                          "Bearer " + Pipeline.KEY_A))
                  .statusCode())
          .as(path + " with a broken body")
          .isEqualTo(400);
      assertThat(
              pipeline
                  .post(
                      path,
                      new byte[] {1, 2, 3},
                      Map.of(
                          "Content-Encoding",
                          "gzip",
                          "Content-Type",
                          "application/x-protobuf",
                          "Authorization",
                          "Bearer " + Pipeline.KEY_A))
                  .statusCode())
          .as(path + " with bad gzip")
          .isEqualTo(400);
    }
  }

  @Test
  void metrics_areAcceptedAndDropped() throws Exception {
    double before = droppedPoints();
    HttpResponse<byte[]> r =
        pipeline.post(
            OtlpReceiver.METRICS_PATH,
            OtlpRequests.gzip(fixture("04-events.metrics.binpb")),
            PROTOBUF_GZIP_ALPHA);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty(); // an empty ExportMetricsServiceResponse
    assertThat(droppedPoints()).isGreaterThan(before);
    HttpResponse<byte[]> json =
        pipeline.post(
            OtlpReceiver.METRICS_PATH,
            fixture("06-events-json.metrics.json"),
            Map.of(
                "Content-Type", "application/json", "Authorization", "Bearer " + Pipeline.KEY_A));
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  private static long kept(byte[] protobufLogs) {
    LogSpans.Result r = LogSpans.convert(OtlpLogsDecoder.decode(protobufLogs, OtlpFormat.PROTOBUF));
    return r.modelCalls() + r.otherSpans();
  }

  private static double droppedPoints() {
    var counter =
        pipeline.registry.find("agentledger.otlp.records").tags("signal", "metrics").counter();
    return counter == null ? 0 : counter.count();
  }

  private static String promptId(byte[] protobufLogs) throws IOException {
    for (var rl : ExportLogsServiceRequest.parseFrom(protobufLogs).getResourceLogsList()) {
      for (var sl : rl.getScopeLogsList()) {
        for (LogRecord record : sl.getLogRecordsList()) {
          for (var kv : record.getAttributesList()) {
            if (kv.getKey().equals("prompt.id")) {
              return kv.getValue().getStringValue();
            }
          }
        }
      }
    }
    throw new AssertionError("no prompt.id in the fixture");
  }

  private static byte[] fixture(String name) throws IOException {
    return coreFixture(FIXTURES + name);
  }

  private static byte[] coreFixture(String name) throws IOException {
    try (InputStream in = OtlpLogsAndMetricsIT.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
