package io.agentledger.collector;

import static io.agentledger.core.testing.OtlpRequests.gzip;
import static io.agentledger.core.testing.OtlpRequests.id;
import static io.agentledger.core.testing.OtlpRequests.integer;
import static io.agentledger.core.testing.OtlpRequests.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.testing.OtlpRequests;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.TimeRange;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus of {@code docs/ingestion.md}: each malformed request gets its documented
 * status and outcome, while valid traffic from another project flows the whole time and is stored
 * exactly once with the right cost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRequestsIT {

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path dir;
  static Pipeline pipeline;
  static final AtomicBoolean trafficRunning = new AtomicBoolean(true);
  static final AtomicLong acknowledgedSpans = new AtomicLong();
  static final ConcurrentLinkedQueue<Integer> trafficStatuses = new ConcurrentLinkedQueue<>();
  static Thread traffic;

  @BeforeAll
  static void start() {
    pipeline = new Pipeline(dir, CollectorConfig.defaults());
    traffic = new Thread(MalformedRequestsIT::validTraffic, "valid-traffic");
    traffic.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    trafficRunning.set(false);
    traffic.join();
    pipeline.close();
  }

  /** Project alpha: 5 traces × 4 spans a request, gzip protobuf, until the corpus is done. */
  private static void validTraffic() {
    long seq = 1;
    while (trafficRunning.get() || seq < 20) {
      byte[] body = gzip(OtlpRequests.modelCalls(seq++, 5, 4).toByteArray());
      try {
        int status =
            pipeline
                .post(
                    body,
                    Map.of(
                        "Content-Type",
                        PROTOBUF,
                        "Content-Encoding",
                        "gzip",
                        "Authorization",
                        "Bearer " + Pipeline.KEY_A))
                .statusCode();
        trafficStatuses.add(status);
        if (status == 200) {
          acknowledgedSpans.addAndGet(20);
        }
      } catch (Exception e) {
        trafficStatuses.add(-1);
      }
    }
  }

  /** One malformed request, its documented status, and what else must hold afterwards. */
  record Case(
      String name,
      String contentType,
      String encoding,
      String key,
      Body body,
      int status,
      Consumer<HttpResponse<byte[]>> then) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A body, made lazily so a large one exists only while its case runs. */
  interface Body {
    HttpRequest.BodyPublisher publisher();
  }

  static Body bytes(byte[] b) {
    return () -> HttpRequest.BodyPublishers.ofByteArray(b);
  }

  static Body text(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  static Body proto(Span... spans) {
    return bytes(request(spans).toByteArray());
  }

  static Stream<Case> corpus() {
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] valid = request(chat(1, 1, 100, 10)).toByteArray();
    List<Case> cases = new ArrayList<>();
    // --- transport: content type, encoding, size, auth
    cases.add(c("wrong content type", "text/plain", null, bytes(valid), 415, problem(3)));
    cases.add(c("no content type", null, null, bytes(valid), 415, problem(3)));
    cases.add(c("unsupported content encoding", PROTOBUF, "br", bytes(valid), 415, rpcStatus(3)));
    cases.add(c("gzip header but not gzip", PROTOBUF, "gzip", bytes(valid), 400, rpcStatus(3)));
    cases.add(c("truncated gzip", PROTOBUF, "gzip", bytes(truncate(gzip(valid))), 400, any()));
    cases.add(
        c(
            "gzip bomb: 200 MB of zeros in 200 kB",
            PROTOBUF,
            "gzip",
            bytes(zeros(200 << 20)),
            413,
            rpcStatus(8)));
    cases.add(
        c(
            "oversize body with Content-Length (17 MiB)",
            PROTOBUF,
            null,
            bytes(new byte[17 << 20]),
            413,
            rpcStatus(8)));
    cases.add(
        c(
            "oversize body streamed without Content-Length",
            PROTOBUF,
            null,
            () ->
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(new byte[17 << 20])),
            413,
            rpcStatus(8)));
    cases.add(new Case("no API key", PROTOBUF, null, null, bytes(valid), 401, rpcStatus(16)));
    cases.add(new Case("unknown API key", JSON, null, "not-a-key", text("{}"), 401, problem(16)));
    // --- undecodable bodies
    cases.add(c("truncated protobuf", PROTOBUF, null, bytes(truncate(valid)), 400, rpcStatus(3)));
    cases.add(
        c(
            "random bytes as protobuf",
            PROTOBUF,
            null,
            bytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}),
            400,
            rpcStatus(3)));
    cases.add(
        c(
            "invalid UTF-8 in a protobuf string",
            PROTOBUF,
            null,
            bytes(invalidUtf8SpanName()),
            400,
            rpcStatus(3)));
    cases.add(
        c(
            "invalid UTF-8 in JSON",
            JSON,
            null,
            bytes(
                concat(
                    "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\""
                        .getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xc3, 0x28},
                    "\"}}]}}]}".getBytes(StandardCharsets.UTF_8))),
            400,
            problem(3)));
    cases.add(
        c("truncated JSON", JSON, null, text("{\"resourceSpans\":[{\"scope"), 400, problem(3)));
    cases.add(c("JSON array instead of object", JSON, null, text("[]"), 400, problem(3)));
    cases.add(
        c(
            "JSON with base64 ids (protobuf JsonFormat style)",
            JSON,
            null,
            text(jsonSpan("W47/95gDgQPSabYzgT/GDA==", "7uGbfsPBsXQ=", "100", now)),
            400,
            problemMentioning("hex")));
    cases.add(
        c(
            "JSON token count that is not a number",
            JSON,
            null,
            text(jsonSpan("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "\"lots\"", now)),
            400,
            problem(3)));
    // --- empty requests: valid OTLP with nothing in them
    cases.add(c("empty protobuf body", PROTOBUF, null, bytes(new byte[0]), 200, emptySuccess()));
    cases.add(c("empty JSON object", JSON, null, text("{}"), 200, emptySuccess()));
    // --- individually invalid spans: partial success, the valid ones are kept
    cases.add(
        c(
            "trace id of 15 bytes beside a valid span",
            PROTOBUF,
            null,
            proto(
                chat(2, 1, 100, 10), chat(3, 1, 100, 10).toBuilder().setTraceId(id(15, 3)).build()),
            200,
            partial(1, "traceId")));
    cases.add(
        c(
            "span id of 4 bytes",
            PROTOBUF,
            null,
            proto(chat(4, 1, 100, 10).toBuilder().setSpanId(shortId(4)).build()),
            200,
            partial(1, "spanId")));
    cases.add(
        c(
            "all-zero trace id",
            PROTOBUF,
            null,
            proto(
                chat(5, 1, 100, 10).toBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[16]))
                    .build()),
            200,
            partial(1, "traceId")));
    cases.add(
        c(
            "parent id of 3 bytes",
            PROTOBUF,
            null,
            proto(chat(6, 1, 100, 10).toBuilder().setParentSpanId(shortId(3)).build()),
            200,
            partial(1, "parentSpanId")));
    cases.add(
        c(
            "span that is its own parent",
            PROTOBUF,
            null,
            proto(chat(7, 1, 100, 10).toBuilder().setParentSpanId(id(8, spanNo(7, 1))).build()),
            200,
            partial(1, "own parent")));
    cases.add(
        c(
            "end before start",
            PROTOBUF,
            null,
            proto(chat(8, 1, 100, 10).toBuilder().setEndTimeUnixNano(1).build()),
            200,
            partial(1, "before")));
    cases.add(
        c(
            "missing start time",
            PROTOBUF,
            null,
            proto(chat(9, 1, 100, 10).toBuilder().setStartTimeUnixNano(0).build()),
            200,
            partial(1, "startTimeUnixNano")));
    // --- spans that are stored, with what is wrong said on the span rather than guessed
    cases.add(
        c(
            "negative token count",
            PROTOBUF,
            null,
            proto(chat(10, 1, -5, 10)),
            200,
            storedUnpriced(10, "negative")));
    cases.add(
        c(
            "NaN token count",
            PROTOBUF,
            null,
            proto(withTokens(chat(11, 1, 0, 10), AnyValue.newBuilder().setDoubleValue(Double.NaN))),
            200,
            storedUnpriced(11, "input_tokens")));
    cases.add(
        c(
            "huge token count (10^15)",
            PROTOBUF,
            null,
            proto(chat(12, 1, 1_000_000_000_000_000L, 10)),
            200,
            storedUnpriced(12, "input_tokens")));
    cases.add(
        c(
            "10 MB attribute value",
            PROTOBUF,
            null,
            proto(
                chat(13, 1, 100, 10).toBuilder()
                    .addAttributes(str("gen_ai.input.messages", "x".repeat(10_000_000)))
                    .build()),
            200,
            storedWith(
                13,
                s -> {
                  assertThat(s.attributes().get("gen_ai.input.messages").length())
                      .isLessThanOrEqualTo(64 * 1024 + 64);
                  assertThat(s.cost().amountUsd()).isEqualByComparingTo("0.000021");
                })));
    cases.add(
        c(
            "parent cycle (agent → chat → agent)",
            PROTOBUF,
            null,
            proto(
                agent(14, 1).toBuilder().setParentSpanId(id(8, spanNo(14, 2))).build(),
                chat(14, 2, 100, 10).toBuilder().setParentSpanId(id(8, spanNo(14, 1))).build()),
            200,
            chainOf(
                14,
                spans -> {
                  assertThat(spans).hasSize(2);
                  // The cycle is cut at its earliest span (the agent), which becomes the root:
                  // one call, $0.000021, attributed to the agent.
                  var rollup = ChainRollup.compute(spans);
                  assertThat(rollup.summary().costUsd()).isEqualByComparingTo("0.000021");
                  assertThat(rollup.byAgent())
                      .singleElement()
                      .satisfies(a -> assertThat(a.agent()).isEqualTo("planner"));
                })));
    cases.add(
        c(
            "unknown fields in JSON",
            JSON,
            null,
            text(
                jsonSpan("5b8efff798038103d269b633813fc60d", "eee19b7ec3c1b175", "100", now)
                    .replace(
                        "{\"resourceSpans\"", "{\"futureField\":{\"x\":[1,2]},\"resourceSpans\"")
                    .replace("\"name\":", "\"droppedFutureCount\":7,\"name\":")),
            200,
            emptySuccess()));
    cases.add(
        c(
            "unknown protobuf field numbers",
            PROTOBUF,
            null,
            bytes(concat(request(chat(15, 1, 100, 10)).toByteArray(), unknownField())),
            200,
            storedWith(15, s -> assertThat(s.cost().source()).isEqualTo(CostSource.COMPUTED))));
    return cases.stream();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void malformedRequest_getsItsDocumentedStatus(Case c) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(pipeline.tracesUri())
            .timeout(Duration.ofSeconds(60))
            .POST(c.body().publisher());
    if (c.contentType() != null) {
      b.header("Content-Type", c.contentType());
    }
    if (c.encoding() != null) {
      b.header("Content-Encoding", c.encoding());
    }
    if (c.key() != null) {
      b.header("Authorization", "Bearer " + c.key());
    }
    HttpResponse<byte[]> response;
    try {
      response = pipeline.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      // The server may close the connection after answering an oversized upload early; the
      // answer must still have been the documented one, which the metrics record.
      assertThat(c.status()).isEqualTo(413);
      assertThat(pipeline.registry.counter("agentledger.otlp.requests", "status", "413").count())
          .isPositive();
      return;
    }
    assertThat(response.statusCode())
        .as("%s: %s", c.name(), new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(c.status());
    c.then().accept(response);
  }

  @Order(2)
  @Test
  void validTrafficDuringTheCorpus_isStoredExactlyOnceWithTheRightCost() throws Exception {
    trafficRunning.set(false);
    traffic.join();
    assertThat(trafficStatuses).isNotEmpty().allMatch(s -> s == 200);
    long spans = acknowledgedSpans.get();
    TimeRange range =
        new TimeRange(Instant.now().minus(Duration.ofHours(1)), Instant.now().plusSeconds(60));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> total(range).map(CostReport.Group::llmCalls).orElse(0L) >= spans);
    CostReport.Group total = total(range).orElseThrow();
    assertThat(total.llmCalls()).isEqualTo(spans);
    assertThat(total.costUsd())
        .isEqualByComparingTo(
            new BigDecimal(OtlpRequests.COST_PER_SPAN).multiply(BigDecimal.valueOf(spans)));
    assertThat(pipeline.ingest.running()).isTrue();
  }

  private static Optional<CostReport.Group> total(TimeRange range) {
    return pipeline
        .store
        .costs("alpha", new CostQuery(range, List.of(), Optional.empty()))
        .groups()
        .stream()
        .findFirst();
  }

  // --- expectations ---------------------------------------------------------------------------

  static Case c(
      String name,
      String contentType,
      String encoding,
      Body body,
      int status,
      Consumer<HttpResponse<byte[]>> then) {
    return new Case(name, contentType, encoding, Pipeline.KEY_B, body, status, then);
  }

  static Consumer<HttpResponse<byte[]>> any() {
    return r -> {};
  }

  /** An RFC 7807 problem carrying the OTLP status code too. */
  static Consumer<HttpResponse<byte[]>> problem(int grpcCode) {
    return r -> {
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode p = json(r);
      assertThat(p.path("status").asInt()).isEqualTo(r.statusCode());
      assertThat(p.path("code").asInt()).isEqualTo(grpcCode);
      assertThat(p.path("detail").asText()).isNotBlank();
    };
  }

  static Consumer<HttpResponse<byte[]>> problemMentioning(String word) {
    return problem(3).andThen(r -> assertThat(json(r).path("detail").asText()).contains(word));
  }

  /** A {@code google.rpc.Status} protobuf, as OTLP/HTTP specifies for protobuf requests. */
  static Consumer<HttpResponse<byte[]>> rpcStatus(int grpcCode) {
    return r -> {
      assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
      try {
        com.google.protobuf.CodedInputStream in =
            com.google.protobuf.CodedInputStream.newInstance(r.body());
        int code = -1;
        String message = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
          switch (tag >>> 3) {
            case 1 -> code = in.readInt32();
            case 2 -> message = in.readString();
            default -> in.skipField(tag);
          }
        }
        assertThat(code).isEqualTo(grpcCode);
        assertThat(message).isNotBlank();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  static Consumer<HttpResponse<byte[]>> emptySuccess() {
    return r -> {
      if (r.headers().firstValue("Content-Type").orElse("").startsWith(PROTOBUF)) {
        assertThat(parseResponse(r).hasPartialSuccess()).isFalse();
      } else {
        assertThat(json(r).has("partialSuccess")).isFalse();
      }
    };
  }

  static Consumer<HttpResponse<byte[]>> partial(long rejected, String reason) {
    return r -> {
      ExportTraceServiceResponse response = parseResponse(r);
      assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(rejected);
      assertThat(response.getPartialSuccess().getErrorMessage()).contains(reason);
    };
  }

  /** The chain of trace {@code traceNo} is stored; {@code check} runs on its spans. */
  static Consumer<HttpResponse<byte[]>> chainOf(long traceNo, Consumer<List<AgentSpan>> check) {
    String trace = HexIds.toHex(id(16, traceNo));
    return r ->
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> check.accept(pipeline.store.chainSpans("beta", trace)));
  }

  static Consumer<HttpResponse<byte[]>> storedWith(long traceNo, Consumer<AgentSpan> check) {
    return chainOf(
        traceNo,
        spans -> {
          assertThat(spans).hasSize(1);
          check.accept(spans.get(0));
        });
  }

  /** Stored, but its cost is unknown and says why — never a silent 0. */
  static Consumer<HttpResponse<byte[]>> storedUnpriced(long traceNo, String why) {
    return storedWith(
        traceNo,
        s -> {
          assertThat(s.cost().source()).isEqualTo(CostSource.UNKNOWN);
          assertThat(s.cost().detail()).contains(why);
        });
  }

  // --- request builders -----------------------------------------------------------------------

  static long spanNo(long traceNo, int n) {
    return traceNo * 1000 + n;
  }

  /** A gpt-4o-mini chat span of trace {@code traceNo}: 100 in + 10 out costs $0.000021. */
  static Span chat(long traceNo, int n, long input, long output) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Span.newBuilder()
        .setTraceId(id(16, traceNo))
        .setSpanId(id(8, spanNo(traceNo, n)))
        .setName("chat gpt-4o-mini")
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(now)
        .setEndTimeUnixNano(now + 1_000_000)
        .addAttributes(str("gen_ai.operation.name", "chat"))
        .addAttributes(str("gen_ai.provider.name", "openai"))
        .addAttributes(str("gen_ai.request.model", "gpt-4o-mini"))
        .addAttributes(integer("gen_ai.usage.input_tokens", input))
        .addAttributes(integer("gen_ai.usage.output_tokens", output))
        .build();
  }

  /** An id of {@code n} non-zero bytes (the wrong length for any OTLP id field below 8). */
  static ByteString shortId(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 7);
    return ByteString.copyFrom(b);
  }

  /** An {@code invoke_agent planner} span of trace {@code traceNo}, started before any chat. */
  static Span agent(long traceNo, int n) {
    long now = System.currentTimeMillis() * 1_000_000L - 1_000_000;
    return Span.newBuilder()
        .setTraceId(id(16, traceNo))
        .setSpanId(id(8, spanNo(traceNo, n)))
        .setName("invoke_agent planner")
        .setStartTimeUnixNano(now)
        .setEndTimeUnixNano(now + 5_000_000)
        .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
        .addAttributes(str("gen_ai.agent.name", "planner"))
        .build();
  }

  static Span withTokens(Span span, AnyValue.Builder input) {
    List<KeyValue> attrs = new ArrayList<>(span.getAttributesList());
    attrs.removeIf(kv -> kv.getKey().equals("gen_ai.usage.input_tokens"));
    attrs.add(KeyValue.newBuilder().setKey("gen_ai.usage.input_tokens").setValue(input).build());
    return span.toBuilder().clearAttributes().addAllAttributes(attrs).build();
  }

  static ExportTraceServiceRequest request(Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "corpus")))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(Arrays.asList(spans))))
        .build();
  }

  static String jsonSpan(String traceId, String spanId, String inputTokens, long now) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\""
        + traceId
        + "\",\"spanId\":\""
        + spanId
        + "\",\"name\":\"chat gpt-4o-mini\",\"startTimeUnixNano\":\""
        + now
        + "\",\"endTimeUnixNano\":\""
        + (now + 1000)
        + "\",\"attributes\":[{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o-mini\"}},"
        + "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":"
        + inputTokens
        + "}}]}]}]}]}";
  }

  /** A request whose only span's name (field 5 of Span) holds the bytes C3 28: not UTF-8. */
  static byte[] invalidUtf8SpanName() {
    try {
      ByteArrayOutputStream span = new ByteArrayOutputStream();
      CodedOutputStream s = CodedOutputStream.newInstance(span);
      s.writeByteArray(1, id(16, 99).toByteArray());
      s.writeByteArray(2, id(8, 99).toByteArray());
      s.writeByteArray(5, new byte[] {(byte) 0xc3, 0x28});
      s.writeFixed64(7, 1_700_000_000_000_000_000L);
      s.writeFixed64(8, 1_700_000_000_000_000_001L);
      s.flush();
      return nest(nest(nest(span.toByteArray(), 2), 2), 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code inner} as length-delimited field {@code field} of a message. */
  static byte[] nest(byte[] inner, int field) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeByteArray(field, inner);
    c.flush();
    return out.toByteArray();
  }

  /** Field 99 of ExportTraceServiceRequest, which no OTLP version defines. */
  static byte[] unknownField() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream c = CodedOutputStream.newInstance(out);
      c.writeString(99, "from a future OTLP");
      c.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] zeros(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      byte[] block = new byte[1 << 20];
      for (int i = 0; i < n; i += block.length) {
        gz.write(block);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] truncate(byte[] b) {
    return Arrays.copyOf(b, b.length / 2);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static JsonNode json(HttpResponse<byte[]> r) {
    try {
      return MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ExportTraceServiceResponse parseResponse(HttpResponse<byte[]> r) {
    try {
      return ExportTraceServiceResponse.parseFrom(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
