package io.agentledger.core.testing;

import com.google.protobuf.ByteString;
import io.agentledger.core.otlp.HexIds;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;

/** Hand-built OTLP spans: for convention tests with documented keys, and malformed input. */
public final class OtlpSpans {

  public static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  public static final long START = Times.noonUtc("2025-10-15");

  private OtlpSpans() {}

  /** A span with the given attributes (values: String, Long, Integer, Double, Boolean, List). */
  public static Span.Builder span(
      String spanId, String parentId, String name, Map<String, ?> attributes) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(HexIds.fromHex(TRACE))
            .setSpanId(HexIds.fromHex(spanId))
            .setName(name)
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(START)
            .setEndTimeUnixNano(START + 2_000_000_000L);
    if (parentId != null) {
      span.setParentSpanId(HexIds.fromHex(parentId));
    }
    attributes.forEach((k, v) -> span.addAttributes(kv(k, v)));
    return span;
  }

  public static KeyValue kv(String key, Object value) {
    return KeyValue.newBuilder().setKey(key).setValue(any(value)).build();
  }

  public static AnyValue any(Object value) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (value instanceof String s) {
      b.setStringValue(s);
    } else if (value instanceof Long || value instanceof Integer) {
      b.setIntValue(((Number) value).longValue());
    } else if (value instanceof Double d) {
      b.setDoubleValue(d);
    } else if (value instanceof Boolean bool) {
      b.setBoolValue(bool);
    } else if (value instanceof List<?> list) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      list.forEach(v -> array.addValues(any(v)));
      b.setArrayValue(array);
    } else if (value instanceof byte[] bytes) {
      b.setBytesValue(ByteString.copyFrom(bytes));
    } else {
      throw new IllegalArgumentException("unsupported attribute value " + value);
    }
    return b.build();
  }

  /** One request holding the spans under one resource and scope. */
  public static ExportTraceServiceRequest request(
      Map<String, ?> resourceAttributes, String scopeName, Span.Builder... spans) {
    Resource.Builder resource = Resource.newBuilder();
    resourceAttributes.forEach((k, v) -> resource.addAttributes(kv(k, v)));
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scopeName));
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  public static ExportTraceServiceRequest request(Span.Builder... spans) {
    return request(Map.of("service.name", "test-service"), "test", spans);
  }
}
