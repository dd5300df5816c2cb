package io.agentledger.core.logs;

import com.google.protobuf.ByteString;
import io.agentledger.core.otlp.HexIds;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenTelemetry GenAI event that describes one model call, {@code
 * gen_ai.client.inference.operation.details} (semantic conventions for GenAI events; OpenLIT emits
 * it): it carries the attributes of the call's {@code gen_ai.client.inference} span — operation,
 * provider, models, response id and usage — so a call reported only as this event is costed like
 * that span. The older per-message events ({@code gen_ai.user.message}, {@code gen_ai.choice}, …)
 * carry no usage and are dropped.
 *
 * <p>Counted once: the conventions parent the event to the call's own span. When the record carries
 * a trace context, the call is made a child of that span and marked {@link LogSpans#TRACED}; the
 * chain's roll-up then does not bill it when its parent is a model call that reports usage (the
 * span is the bill, and it usually has more detail, such as cache reads), and bills it when the
 * span is missing or reports no usage. Without a trace context the event is its own chain, keyed by
 * its response id.
 */
final class GenAiEvents {

  static final String INFERENCE_DETAILS = "gen_ai.client.inference.operation.details";

  private GenAiEvents() {}

  static Optional<Span> modelCall(LogRecord record, Map<String, String> a, boolean traced) {
    String responseId = a.getOrDefault("gen_ai.response.id", "");
    String identity =
        responseId.isEmpty()
            ? record.getTimeUnixNano()
                + "\0"
                + record.getObservedTimeUnixNano()
                + "\0"
                + a.getOrDefault("gen_ai.request.model", "")
            : responseId;
    ByteString traceId;
    ByteString parent;
    if (traced) {
      traceId = record.getTraceId();
      parent = record.getSpanId();
      identity = HexIds.toHex(record.getSpanId()) + "\0" + identity;
    } else {
      traceId = LogSpans.id(INFERENCE_DETAILS, identity, HexIds.TRACE_ID_BYTES);
      parent = ByteString.EMPTY;
    }
    String operation = a.getOrDefault("gen_ai.operation.name", "");
    if (operation.isEmpty()) {
      operation = "chat";
    }
    String model =
        a.getOrDefault("gen_ai.request.model", a.getOrDefault("gen_ai.response.model", ""));
    long at = LogSpans.time(record);
    Span.Builder span =
        LogSpans.base(
                record,
                traceId,
                LogSpans.id(INFERENCE_DETAILS + ".span", identity, HexIds.SPAN_ID_BYTES),
                parent)
            .setName(model.isEmpty() ? operation : operation + " " + model)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(at) // the event is a moment: the call's duration is the span's
            .setEndTimeUnixNano(at);
    if (!a.containsKey("gen_ai.operation.name")) {
      LogSpans.put(span, "gen_ai.operation.name", operation);
    }
    if (traced) {
      span.addAttributes(
          KeyValue.newBuilder()
              .setKey(LogSpans.TRACED)
              .setValue(AnyValue.newBuilder().setBoolValue(true)));
    }
    if (a.containsKey("error.type")) {
      span.getStatusBuilder()
          .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    }
    return Optional.of(span.build());
  }
}
