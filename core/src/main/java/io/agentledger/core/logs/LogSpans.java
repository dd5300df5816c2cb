package io.agentledger.core.logs;

import com.google.protobuf.ByteString;
import io.agentledger.core.otlp.HexIds;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the log records of an OTLP logs export that describe model calls into canonical spans; the
 * rest are dropped and counted. Pure and thread-safe.
 *
 * <p>Claude Code ({@code CLAUDE_CODE_ENABLE_TELEMETRY=1}) sends one event per model call ({@code
 * claude_code.api_request}: model, tokens, cost), one per prompt ({@code claude_code.user_prompt},
 * with its {@code prompt.id}) and one per tool run ({@code claude_code.tool_result}). Without the
 * traces beta they carry no trace context, so the chain is made from the prompt: its trace id and
 * the id of its root span (an {@code invoke_agent} span named {@code claude_code.interaction}, as
 * the traces beta names it) are derived from {@code prompt.id}, and each model call and tool run
 * hangs below it. With the traces beta every event carries the trace and span of its interaction;
 * the traces then have the prompt's root and tool spans, so only the model calls are taken, as
 * children of that span and marked {@link #TRACED} — the roll-up counts a model call once when the
 * trace's {@code claude_code.llm_request} span reports the same request ({@code
 * gen_ai.response.id}) with the same usage.
 *
 * <p>Every id is derived from what the event says (session, request id, tool use id, sequence), so
 * an export retried by the client makes the same spans, which the store keeps once.
 */
public final class LogSpans {

  /** Set on every span made from a log record: the event it was made from. */
  public static final String SOURCE_EVENT = "agentledger.log.event";

  /**
   * Set ({@code true}) on a model call made from an event that carried a trace context: the same
   * request is normally also a span of that trace, so this one is not billed unless it is alone.
   */
  public static final String TRACED = "agentledger.log.traced";

  static final String API_REQUEST = "claude_code.api_request";
  static final String USER_PROMPT = "claude_code.user_prompt";
  static final String TOOL_RESULT = "claude_code.tool_result";
  static final String INTERACTION = "claude_code.interaction";
  private static final String CLAUDE_CODE_PREFIX = "claude_code.";

  /**
   * The spans made, and how many records were turned into spans or dropped.
   *
   * @param spans the spans, grouped by the records' resource and scope
   * @param modelCalls model-call spans made
   * @param otherSpans prompt and tool spans made
   * @param dropped records that describe nothing we keep (settings, plugins, responses, errors, …)
   */
  public record Result(
      ExportTraceServiceRequest spans, long modelCalls, long otherSpans, long dropped) {

    public long records() {
      return modelCalls + otherSpans + dropped;
    }
  }

  private LogSpans() {}

  public static Result convert(ExportLogsServiceRequest request) {
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    long modelCalls = 0;
    long others = 0;
    long dropped = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      ResourceSpans.Builder resource =
          ResourceSpans.newBuilder().setResource(rl.getResource()).setSchemaUrl(rl.getSchemaUrl());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeSpans.Builder scope =
            ScopeSpans.newBuilder().setScope(scope(sl.getScope())).setSchemaUrl(sl.getSchemaUrl());
        for (LogRecord record : sl.getLogRecordsList()) {
          Optional<Span> span = toSpan(record);
          if (span.isEmpty()) {
            dropped++;
            continue;
          }
          if (isModelCall(eventName(record))) {
            modelCalls++;
          } else {
            others++;
          }
          scope.addSpans(span.get());
        }
        if (scope.getSpansCount() > 0) {
          resource.addScopeSpans(scope);
        }
      }
      if (resource.getScopeSpansCount() > 0) {
        out.addResourceSpans(resource);
      }
    }
    return new Result(out.build(), modelCalls, others, dropped);
  }

  private static boolean isModelCall(String event) {
    return event.equals(API_REQUEST) || event.equals(GenAiEvents.INFERENCE_DETAILS);
  }

  private static InstrumentationScope scope(InstrumentationScope logScope) {
    return logScope; // the same scope: the spans say who emitted them
  }

  /** The event a record is: its event name, else {@code event.name} (prefixed), else its body. */
  static String eventName(LogRecord record) {
    if (!record.getEventName().isEmpty()) {
      return record.getEventName();
    }
    String attribute = attributes(record).getOrDefault("event.name", "");
    if (!attribute.isEmpty()) {
      // Claude Code names its events without its prefix; names with a namespace are whole.
      return attribute.contains(".") ? attribute : CLAUDE_CODE_PREFIX + attribute;
    }
    return record.getBody().getValueCase() == AnyValue.ValueCase.STRING_VALUE
        ? record.getBody().getStringValue()
        : "";
  }

  private static Optional<Span> toSpan(LogRecord record) {
    String event = eventName(record);
    boolean traced =
        HexIds.isValid(record.getTraceId(), HexIds.TRACE_ID_BYTES)
            && HexIds.isValid(record.getSpanId(), HexIds.SPAN_ID_BYTES);
    Map<String, String> a = attributes(record);
    return switch (event) {
      case API_REQUEST -> modelCall(record, a, traced);
      case USER_PROMPT -> traced ? Optional.empty() : interaction(record, a);
      case TOOL_RESULT -> traced ? Optional.empty() : toolRun(record, a);
      case GenAiEvents.INFERENCE_DETAILS -> GenAiEvents.modelCall(record, a, traced);
      default -> Optional.empty(); // GenAI per-message events carry no usage: nothing to bill
    };
  }

  private static Optional<Span> modelCall(LogRecord record, Map<String, String> a, boolean traced) {
    String requestId = a.getOrDefault("request_id", "");
    String promptId = a.getOrDefault("prompt.id", "");
    String session = a.getOrDefault("session.id", "");
    ByteString traceId;
    ByteString parent;
    if (traced) {
      traceId = record.getTraceId();
      parent = record.getSpanId();
    } else if (!promptId.isEmpty()) {
      traceId = promptTrace(promptId);
      parent = promptRoot(promptId);
    } else if (!requestId.isEmpty()) {
      traceId = id("claude_code.request", requestId, HexIds.TRACE_ID_BYTES);
      parent = ByteString.EMPTY;
    } else {
      return Optional.empty(); // nothing to make a chain of
    }
    String identity =
        requestId.isEmpty()
            ? session
                + "\0"
                + a.getOrDefault("event.sequence", "")
                + "\0"
                + record.getTimeUnixNano()
            : requestId;
    long end = time(record);
    long input = tokens(a, "input_tokens");
    long read = tokens(a, "cache_read_tokens");
    long write = tokens(a, "cache_creation_tokens");
    String model = a.getOrDefault("model", "");
    Span.Builder span =
        base(record, traceId, id(API_REQUEST, session + "\0" + identity, 8), parent)
            .setName(API_REQUEST)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(Math.max(0, end - millis(a, "duration_ms") * 1_000_000))
            .setEndTimeUnixNano(end);
    put(span, "gen_ai.operation.name", "chat");
    put(span, "gen_ai.provider.name", provider(a.getOrDefault("anthropic.provider", "")));
    put(span, "gen_ai.request.model", model);
    put(span, "gen_ai.response.model", model);
    put(span, "gen_ai.response.id", requestId);
    put(span, "gen_ai.conversation.id", session);
    // Anthropic reports input without the cache; the canonical input includes it.
    if (input >= 0 || read >= 0 || write >= 0) {
      span.addAttributes(
          intAttr(
              "gen_ai.usage.input_tokens",
              Math.max(0, input) + Math.max(0, read) + Math.max(0, write)));
    }
    putTokens(span, "gen_ai.usage.output_tokens", tokens(a, "output_tokens"));
    putTokens(span, "gen_ai.usage.cache_read.input_tokens", read);
    putTokens(span, "gen_ai.usage.cache_write.input_tokens", write);
    long write1h = tokens(a, "cache_creation_1h_tokens");
    if (write1h > 0) {
      putTokens(span, "gen_ai.usage.cache_write.1h.input_tokens", write1h);
    }
    for (KeyValue kv : record.getAttributesList()) {
      if (kv.getKey().equals("cost_usd")) { // what Claude Code computed: a reported cost
        span.addAttributes(kv.toBuilder().setKey("gen_ai.usage.cost"));
        break;
      }
    }
    if (traced) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(TRACED).setValue(AnyValue.newBuilder().setBoolValue(true)));
    }
    return Optional.of(span.build());
  }

  private static Optional<Span> interaction(LogRecord record, Map<String, String> a) {
    String promptId = a.getOrDefault("prompt.id", "");
    if (promptId.isEmpty()) {
      return Optional.empty();
    }
    long at = time(record);
    Span.Builder span =
        base(record, promptTrace(promptId), promptRoot(promptId), ByteString.EMPTY)
            .setName(INTERACTION)
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(at)
            .setEndTimeUnixNano(at);
    put(span, "gen_ai.operation.name", "invoke_agent");
    put(span, "gen_ai.conversation.id", a.getOrDefault("session.id", ""));
    return Optional.of(span.build());
  }

  private static Optional<Span> toolRun(LogRecord record, Map<String, String> a) {
    String promptId = a.getOrDefault("prompt.id", "");
    String toolUse = a.getOrDefault("tool_use_id", "");
    if (promptId.isEmpty()) {
      return Optional.empty();
    }
    String identity =
        toolUse.isEmpty()
            ? a.getOrDefault("event.sequence", "") + "\0" + record.getTimeUnixNano()
            : toolUse;
    long end = time(record);
    Span.Builder span =
        base(
                record,
                promptTrace(promptId),
                id(TOOL_RESULT, a.getOrDefault("session.id", "") + "\0" + identity, 8),
                promptRoot(promptId))
            .setName("claude_code.tool")
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(Math.max(0, end - millis(a, "duration_ms") * 1_000_000))
            .setEndTimeUnixNano(end);
    put(span, "gen_ai.operation.name", "execute_tool");
    put(span, "gen_ai.tool.name", a.getOrDefault("tool_name", ""));
    put(span, "gen_ai.tool.call.id", toolUse);
    put(span, "gen_ai.conversation.id", a.getOrDefault("session.id", ""));
    if (a.getOrDefault("success", "").equals("false")) {
      span.getStatusBuilder()
          .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    }
    return Optional.of(span.build());
  }

  /** The record's attributes first (so the event says what it said), then ours. */
  static Span.Builder base(
      LogRecord record, ByteString traceId, ByteString spanId, ByteString parent) {
    return Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setParentSpanId(parent)
        .addAllAttributes(record.getAttributesList())
        .addAttributes(
            KeyValue.newBuilder()
                .setKey(SOURCE_EVENT)
                .setValue(AnyValue.newBuilder().setStringValue(eventName(record))));
  }

  /** The trace of a prompt's chain when no trace context came with it. */
  public static ByteString promptTrace(String promptId) {
    return id("claude_code.prompt", promptId, HexIds.TRACE_ID_BYTES);
  }

  static ByteString promptRoot(String promptId) {
    return id(INTERACTION, promptId, HexIds.SPAN_ID_BYTES);
  }

  /** The first bytes of SHA-256 over a namespace and a value; never all zero in practice. */
  static ByteString id(String namespace, String value, int bytes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(namespace.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(value.getBytes(StandardCharsets.UTF_8));
      return ByteString.copyFrom(digest, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long time(LogRecord record) {
    return record.getTimeUnixNano() != 0
        ? record.getTimeUnixNano()
        : record.getObservedTimeUnixNano();
  }

  /** Which cloud served the call, as Claude Code's {@code anthropic.provider} says. */
  static String provider(String claudeCodeProvider) {
    return switch (claudeCodeProvider) {
      case "bedrock" -> "aws.bedrock";
      case "vertex" -> "gcp.vertex_ai";
      case "foundry" -> "azure.ai.foundry";
      default -> "anthropic";
    };
  }

  static Map<String, String> attributes(LogRecord record) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : record.getAttributesList()) {
      AnyValue v = kv.getValue();
      String text =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> doubleText(v.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> "";
          };
      out.putIfAbsent(kv.getKey(), text);
    }
    return out;
  }

  private static String doubleText(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A token count, or -1 when absent or not a non-negative number. */
  private static long tokens(Map<String, String> a, String key) {
    String v = a.getOrDefault(key, "");
    if (v.isEmpty()) {
      return -1;
    }
    try {
      double d = Double.parseDouble(v);
      return d >= 0 && d == Math.rint(d) && d < Long.MAX_VALUE ? (long) d : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long millis(Map<String, String> a, String key) {
    return Math.max(0, tokens(a, key));
  }

  static void put(Span.Builder span, String key, String value) {
    if (!value.isEmpty()) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)));
    }
  }

  static void putTokens(Span.Builder span, String key, long value) {
    if (value >= 0) {
      span.addAttributes(intAttr(key, value));
    }
  }

  static KeyValue intAttr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
