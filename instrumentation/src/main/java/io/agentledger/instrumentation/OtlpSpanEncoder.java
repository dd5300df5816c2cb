package io.agentledger.instrumentation;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanFlags;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SpanData} as an OTLP {@code ExportTraceServiceRequest}, with the public
 * opentelemetry-proto classes: spans grouped by resource, then by instrumentation scope, as the
 * OTLP exporters send them.
 */
final class OtlpSpanEncoder {

  private OtlpSpanEncoder() {}

  static ExportTraceServiceRequest request(Collection<SpanData> spans) {
    Map<io.opentelemetry.sdk.resources.Resource, Map<InstrumentationScopeInfo, ScopeSpans.Builder>>
        grouped = new LinkedHashMap<>();
    for (SpanData span : spans) {
      grouped
          .computeIfAbsent(span.getResource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(span.getInstrumentationScopeInfo(), OtlpSpanEncoder::scopeSpans)
          .addSpans(span(span));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    grouped.forEach(
        (resource, scopes) -> {
          ResourceSpans.Builder rs =
              ResourceSpans.newBuilder()
                  .setResource(
                      Resource.newBuilder().addAllAttributes(keyValues(resource.getAttributes())));
          if (resource.getSchemaUrl() != null) {
            rs.setSchemaUrl(resource.getSchemaUrl());
          }
          scopes.values().forEach(rs::addScopeSpans);
          request.addResourceSpans(rs);
        });
    return request.build();
  }

  private static ScopeSpans.Builder scopeSpans(InstrumentationScopeInfo info) {
    InstrumentationScope.Builder scope =
        InstrumentationScope.newBuilder()
            .setName(info.getName())
            .addAllAttributes(keyValues(info.getAttributes()));
    if (info.getVersion() != null) {
      scope.setVersion(info.getVersion());
    }
    ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder().setScope(scope);
    if (info.getSchemaUrl() != null) {
      scopeSpans.setSchemaUrl(info.getSchemaUrl());
    }
    return scopeSpans;
  }

  private static Span span(SpanData span) {
    SpanContext context = span.getSpanContext();
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(context.getTraceIdBytes()))
            .setSpanId(ByteString.copyFrom(context.getSpanIdBytes()))
            .setTraceState(traceState(context.getTraceState()))
            .setFlags(flags(context, span.getParentSpanContext().isRemote()))
            .setName(span.getName())
            .setKind(kind(span.getKind()))
            .setStartTimeUnixNano(span.getStartEpochNanos())
            .setEndTimeUnixNano(span.getEndEpochNanos())
            .addAllAttributes(keyValues(span.getAttributes()))
            .setDroppedAttributesCount(span.getTotalAttributeCount() - span.getAttributes().size())
            .setDroppedEventsCount(span.getTotalRecordedEvents() - span.getEvents().size())
            .setDroppedLinksCount(span.getTotalRecordedLinks() - span.getLinks().size());
    if (span.getParentSpanContext().isValid()) {
      b.setParentSpanId(ByteString.copyFrom(span.getParentSpanContext().getSpanIdBytes()));
    }
    for (EventData event : span.getEvents()) {
      b.addEvents(
          Span.Event.newBuilder()
              .setTimeUnixNano(event.getEpochNanos())
              .setName(event.getName())
              .addAllAttributes(keyValues(event.getAttributes()))
              .setDroppedAttributesCount(
                  event.getTotalAttributeCount() - event.getAttributes().size()));
    }
    for (LinkData link : span.getLinks()) {
      SpanContext linked = link.getSpanContext();
      b.addLinks(
          Span.Link.newBuilder()
              .setTraceId(ByteString.copyFrom(linked.getTraceIdBytes()))
              .setSpanId(ByteString.copyFrom(linked.getSpanIdBytes()))
              .setTraceState(traceState(linked.getTraceState()))
              .setFlags(flags(linked, linked.isRemote()))
              .addAllAttributes(keyValues(link.getAttributes()))
              .setDroppedAttributesCount(
                  link.getTotalAttributeCount() - link.getAttributes().size()));
    }
    Status.Builder status =
        Status.newBuilder()
            .setCodeValue(
                switch (span.getStatus().getStatusCode()) {
                  case UNSET -> Status.StatusCode.STATUS_CODE_UNSET_VALUE;
                  case OK -> Status.StatusCode.STATUS_CODE_OK_VALUE;
                  case ERROR -> Status.StatusCode.STATUS_CODE_ERROR_VALUE;
                });
    if (!span.getStatus().getDescription().isEmpty()) {
      status.setMessage(span.getStatus().getDescription());
    }
    return b.setStatus(status).build();
  }

  /** The W3C trace flags, and whether the parent (or the linked span) is remote. */
  private static int flags(SpanContext context, boolean remote) {
    int flags =
        (context.getTraceFlags().asByte() & 0xff)
            | SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK_VALUE;
    return remote ? flags | SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK_VALUE : flags;
  }

  /** The W3C {@code tracestate} header value. */
  private static String traceState(TraceState state) {
    StringBuilder s = new StringBuilder();
    state.forEach(
        (key, value) -> {
          if (s.length() > 0) {
            s.append(',');
          }
          s.append(key).append('=').append(value);
        });
    return s.toString();
  }

  private static List<KeyValue> keyValues(Attributes attributes) {
    List<KeyValue> out = new java.util.ArrayList<>(attributes.size());
    attributes.forEach(
        (key, value) ->
            out.add(
                KeyValue.newBuilder().setKey(key.getKey()).setValue(anyValue(key, value)).build()));
    return out;
  }

  private static AnyValue anyValue(AttributeKey<?> key, Object value) {
    return switch (key.getType()) {
      case STRING -> AnyValue.newBuilder().setStringValue((String) value).build();
      case BOOLEAN -> AnyValue.newBuilder().setBoolValue((Boolean) value).build();
      case LONG -> AnyValue.newBuilder().setIntValue((Long) value).build();
      case DOUBLE -> AnyValue.newBuilder().setDoubleValue((Double) value).build();
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> array((List<?>) value);
      case VALUE -> value((io.opentelemetry.api.common.Value<?>) value);
    };
  }

  private static AnyValue array(List<?> values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    for (Object v : values) {
      array.addValues(scalar(v));
    }
    return AnyValue.newBuilder().setArrayValue(array).build();
  }

  private static AnyValue scalar(Object v) {
    AnyValue.Builder any = AnyValue.newBuilder();
    if (v instanceof Boolean bool) {
      return any.setBoolValue(bool).build();
    }
    if (v instanceof Long l) {
      return any.setIntValue(l).build();
    }
    if (v instanceof Double d) {
      return any.setDoubleValue(d).build();
    }
    return any.setStringValue(String.valueOf(v)).build();
  }

  /** A complex attribute value ({@code AttributeType.VALUE}): maps, byte arrays, nesting. */
  private static AnyValue value(io.opentelemetry.api.common.Value<?> value) {
    AnyValue.Builder any = AnyValue.newBuilder();
    switch (value.getType()) {
      case STRING -> any.setStringValue((String) value.getValue());
      case BOOLEAN -> any.setBoolValue((Boolean) value.getValue());
      case LONG -> any.setIntValue((Long) value.getValue());
      case DOUBLE -> any.setDoubleValue((Double) value.getValue());
      case BYTES -> any.setBytesValue(ByteString.copyFrom((ByteBuffer) value.getValue()));
      case ARRAY -> {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (Object element : (List<?>) value.getValue()) {
          array.addValues(value((io.opentelemetry.api.common.Value<?>) element));
        }
        any.setArrayValue(array);
      }
      case KEY_VALUE_LIST -> {
        KeyValueList.Builder list = KeyValueList.newBuilder();
        for (Object element : (List<?>) value.getValue()) {
          io.opentelemetry.api.common.KeyValue kv = (io.opentelemetry.api.common.KeyValue) element;
          list.addValues(KeyValue.newBuilder().setKey(kv.getKey()).setValue(value(kv.getValue())));
        }
        any.setKvlistValue(list);
      }
      case EMPTY -> {}
    }
    return any.build();
  }

  /** OTLP's span kind for the SDK's (named, not by the enums' order). */
  private static Span.SpanKind kind(SpanKind kind) {
    return switch (kind) {
      case INTERNAL -> Span.SpanKind.SPAN_KIND_INTERNAL;
      case SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
      case CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
      case PRODUCER -> Span.SpanKind.SPAN_KIND_PRODUCER;
      case CONSUMER -> Span.SpanKind.SPAN_KIND_CONSUMER;
    };
  }
}
