package io.agentledger.core.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP requests of model calls for the pipeline and fault tests (collector, standalone), each with
 * its own ids from a sequence number. Every span is a gpt-4o-mini chat call with 100 input and 10
 * output tokens: $0.15/M × 100 + $0.60/M × 10 = $0.000015 + $0.000006 = $0.000021 a span.
 */
public final class OtlpRequests {

  public static final String COST_PER_SPAN = "0.000021";

  private OtlpRequests() {}

  /** {@code traces} traces of {@code spansPerTrace} root-level chat spans; ids from {@code seq}. */
  public static ExportTraceServiceRequest modelCalls(long seq, int traces, int spansPerTrace) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < traces; t++) {
      ByteString traceId = id(16, seq * 1000 + t + 1);
      for (int s = 0; s < spansPerTrace; s++) {
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
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "load")))
                .addScopeSpans(scope))
        .build();
  }

  public static ByteString id(int bytes, long value) {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    b.position(bytes - 8);
    b.putLong(value);
    return ByteString.copyFrom(b.array());
  }

  public static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  public static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  public static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
