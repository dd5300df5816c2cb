package io.agentledger.standalone;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * OTLP protobuf requests of model calls, each with its own ids from a sequence number, for the
 * fault tests: every span is a gpt-4o-mini call of 100 input and 10 output tokens, $0.15/M × 100 +
 * $0.60/M × 10 = $0.000021.
 */
final class ModelCalls {

  static final BigDecimal USD_PER_SPAN = new BigDecimal("0.000021");
  static final int TRACES = 5;
  static final int SPANS_PER_TRACE = 4;
  static final int SPANS = TRACES * SPANS_PER_TRACE;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI traces;
  private final String key;

  ModelCalls(URI traces, String key) {
    this.traces = traces;
    this.key = key;
  }

  /** Posts request {@code seq}; its status. */
  int post(long seq) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(traces)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request(seq).toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static ExportTraceServiceRequest request(long seq) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < TRACES; t++) {
      ByteString traceId = id(16, seq * 1000 + t + 1);
      for (int s = 0; s < SPANS_PER_TRACE; s++) {
        scope.addSpans(
            Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(id(8, (seq * 1000 + t) * 1000 + s + 1))
                .setName("chat gpt-4o-mini")
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(now + s)
                .setEndTimeUnixNano(now + s + 1_000_000)
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.provider.name", "openai"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o-mini"))
                .addAttributes(integer("gen_ai.usage.input_tokens", 100))
                .addAttributes(integer("gen_ai.usage.output_tokens", 10)));
      }
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "faults")))
                .addScopeSpans(scope))
        .build();
  }

  private static ByteString id(int bytes, long value) {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    b.position(bytes - 8);
    b.putLong(value);
    return ByteString.copyFrom(b.array());
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
