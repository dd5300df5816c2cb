package io.agentledger.standalone.api;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Small chains sent as OTLP protobuf: an agent, one gpt-4o-mini call (1,000 in, 100 out: $0.00015 +
 * $0.00006 = $0.00021 at catalog prices) and one tool call.
 */
final class OtlpChains {

  static final String CALL_USD = "0.00021";

  /**
   * What varies between chains.
   *
   * @param startMillis the chain's start (epoch millis)
   */
  record Shape(
      long traceNo,
      long startMillis,
      String service,
      String serviceVersion,
      String agent,
      String agentVersion,
      String session,
      String user) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI traces;

  OtlpChains(URI traces) {
    this.traces = traces;
  }

  static String traceId(long traceNo) {
    return HexFormat.of().formatHex(id(16, traceNo).toByteArray());
  }

  void send(String key, Shape... shapes) throws Exception {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Shape s : shapes) {
      request.addResourceSpans(resourceSpans(s));
    }
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(traces)
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.build().toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
    }
  }

  static ResourceSpans resourceSpans(Shape s) {
    long t0 = s.startMillis() * 1_000_000L;
    ByteString trace = id(16, s.traceNo());
    ByteString agentId = id(8, s.traceNo() * 10 + 1);
    Span.Builder agent =
        span(trace, agentId, null, "invoke_agent " + s.agent(), t0, t0 + 3_000_000_000L)
            .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
            .addAttributes(str("gen_ai.agent.name", s.agent()))
            .addAttributes(str("gen_ai.agent.version", s.agentVersion()))
            .addAttributes(str("gen_ai.conversation.id", s.session()))
            .addAttributes(str("user.id", s.user()));
    Span.Builder chat =
        span(
                trace,
                id(8, s.traceNo() * 10 + 2),
                agentId,
                "chat gpt-4o-mini",
                t0 + 100_000_000L,
                t0 + 900_000_000L)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .addAttributes(str("gen_ai.operation.name", "chat"))
            .addAttributes(str("gen_ai.provider.name", "openai"))
            .addAttributes(str("gen_ai.request.model", "gpt-4o-mini"))
            .addAttributes(integer("gen_ai.usage.input_tokens", 1_000))
            .addAttributes(integer("gen_ai.usage.output_tokens", 100));
    Span.Builder tool =
        span(
                trace,
                id(8, s.traceNo() * 10 + 3),
                agentId,
                "execute_tool search",
                t0 + 1_000_000_000L,
                t0 + 1_200_000_000L)
            .addAttributes(str("gen_ai.operation.name", "execute_tool"))
            .addAttributes(str("gen_ai.tool.name", "search"));
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(str("service.name", s.service()))
                .addAttributes(str("service.version", s.serviceVersion())))
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .addSpans(agent.build())
                .addSpans(chat.build())
                .addSpans(tool.build()))
        .build();
  }

  private static Span.Builder span(
      ByteString trace, ByteString id, ByteString parent, String name, long start, long end) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(trace)
            .setSpanId(id)
            .setName(name)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(end);
    if (parent != null) {
      b.setParentSpanId(parent);
    }
    return b;
  }

  static ByteString id(int bytes, long value) {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    b.position(bytes - 8);
    b.putLong(value);
    return ByteString.copyFrom(b.array());
  }

  static KeyValue str(String key, String value) {
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
