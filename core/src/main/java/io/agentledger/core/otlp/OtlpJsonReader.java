package io.agentledger.core.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Walks an OTLP/JSON tree into the protobuf model. Field names are matched without case and
 * underscores, so {@code resourceSpans} and {@code resource_spans} are the same field; unknown
 * fields are ignored; every error names the JSON path.
 */
final class OtlpJsonReader {

  private static final BigInteger UNSIGNED_LONG_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  ExportTraceServiceRequest readRequest(JsonNode root) {
    requireObject(root, "$");
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    fields(
        root,
        "$",
        (key, at, child) -> {
          if (key.equals("resourcespans")) {
            forEachElement(
                child, at, (path, node) -> request.addResourceSpans(readResourceSpans(node, path)));
          }
        });
    return request.build();
  }

  ExportLogsServiceRequest readLogsRequest(JsonNode root) {
    requireObject(root, "$");
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    fields(
        root,
        "$",
        (key, at, child) -> {
          if (key.equals("resourcelogs")) {
            forEachElement(
                child, at, (path, node) -> request.addResourceLogs(readResourceLogs(node, path)));
          }
        });
    return request.build();
  }

  private ResourceLogs readResourceLogs(JsonNode node, String path) {
    requireObject(node, path);
    ResourceLogs.Builder rl = ResourceLogs.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "resource" -> rl.setResource(readResource(child, at));
            case "scopelogs" ->
                forEachElement(child, at, (p, n) -> rl.addScopeLogs(readScopeLogs(n, p)));
            case "schemaurl" -> rl.setSchemaUrl(text(child, at));
            default -> {}
          }
        });
    return rl.build();
  }

  private ScopeLogs readScopeLogs(JsonNode node, String path) {
    requireObject(node, path);
    ScopeLogs.Builder sl = ScopeLogs.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "scope" -> sl.setScope(readScope(child, at));
            case "logrecords" ->
                forEachElement(child, at, (p, n) -> sl.addLogRecords(readLogRecord(n, p)));
            case "schemaurl" -> sl.setSchemaUrl(text(child, at));
            default -> {}
          }
        });
    return sl.build();
  }

  private LogRecord readLogRecord(JsonNode node, String path) {
    requireObject(node, path);
    LogRecord.Builder record = LogRecord.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "timeunixnano" -> record.setTimeUnixNano(uint64(child, at));
            case "observedtimeunixnano" -> record.setObservedTimeUnixNano(uint64(child, at));
            case "severitynumber" -> record.setSeverityNumberValue(uint32(child, at));
            case "severitytext" -> record.setSeverityText(text(child, at));
            case "body" -> record.setBody(readAnyValue(child, at));
            case "attributes" -> readAttributes(child, at, record::addAttributes);
            case "droppedattributescount" -> record.setDroppedAttributesCount(uint32(child, at));
            case "flags" -> record.setFlags(uint32(child, at));
            case "traceid" -> record.setTraceId(id(child, at));
            case "spanid" -> record.setSpanId(id(child, at));
            case "eventname" -> record.setEventName(text(child, at));
            default -> {}
          }
        });
    return record.build();
  }

  private ResourceSpans readResourceSpans(JsonNode node, String path) {
    requireObject(node, path);
    ResourceSpans.Builder rs = ResourceSpans.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "resource" -> rs.setResource(readResource(child, at));
            case "scopespans", "instrumentationlibraryspans" ->
                forEachElement(child, at, (p, n) -> rs.addScopeSpans(readScopeSpans(n, p)));
            case "schemaurl" -> rs.setSchemaUrl(text(child, at));
            default -> {}
          }
        });
    return rs.build();
  }

  private Resource readResource(JsonNode node, String path) {
    requireObject(node, path);
    Resource.Builder resource = Resource.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "attributes" -> readAttributes(child, at, resource::addAttributes);
            case "droppedattributescount" -> resource.setDroppedAttributesCount(uint32(child, at));
            default -> {}
          }
        });
    return resource.build();
  }

  private ScopeSpans readScopeSpans(JsonNode node, String path) {
    requireObject(node, path);
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "scope", "instrumentationlibrary" -> ss.setScope(readScope(child, at));
            case "spans" -> forEachElement(child, at, (p, n) -> ss.addSpans(readSpan(n, p)));
            case "schemaurl" -> ss.setSchemaUrl(text(child, at));
            default -> {}
          }
        });
    return ss.build();
  }

  private InstrumentationScope readScope(JsonNode node, String path) {
    requireObject(node, path);
    InstrumentationScope.Builder scope = InstrumentationScope.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "name" -> scope.setName(text(child, at));
            case "version" -> scope.setVersion(text(child, at));
            case "attributes" -> readAttributes(child, at, scope::addAttributes);
            case "droppedattributescount" -> scope.setDroppedAttributesCount(uint32(child, at));
            default -> {}
          }
        });
    return scope.build();
  }

  private Span readSpan(JsonNode node, String path) {
    requireObject(node, path);
    Span.Builder span = Span.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "traceid" -> span.setTraceId(id(child, at));
            case "spanid" -> span.setSpanId(id(child, at));
            case "parentspanid" -> span.setParentSpanId(id(child, at));
            case "tracestate" -> span.setTraceState(text(child, at));
            case "flags" -> span.setFlags(uint32(child, at));
            case "name" -> span.setName(text(child, at));
            case "kind" -> span.setKindValue(enumNumber(child, at, "SPAN_KIND_"));
            case "starttimeunixnano" -> span.setStartTimeUnixNano(uint64(child, at));
            case "endtimeunixnano" -> span.setEndTimeUnixNano(uint64(child, at));
            case "attributes" -> readAttributes(child, at, span::addAttributes);
            case "droppedattributescount" -> span.setDroppedAttributesCount(uint32(child, at));
            case "events" -> forEachElement(child, at, (p, n) -> span.addEvents(readEvent(n, p)));
            case "droppedeventscount" -> span.setDroppedEventsCount(uint32(child, at));
            case "links" -> forEachElement(child, at, (p, n) -> span.addLinks(readLink(n, p)));
            case "droppedlinkscount" -> span.setDroppedLinksCount(uint32(child, at));
            case "status" -> span.setStatus(readStatus(child, at));
            default -> {}
          }
        });
    return span.build();
  }

  private Span.Event readEvent(JsonNode node, String path) {
    requireObject(node, path);
    Span.Event.Builder event = Span.Event.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "timeunixnano" -> event.setTimeUnixNano(uint64(child, at));
            case "name" -> event.setName(text(child, at));
            case "attributes" -> readAttributes(child, at, event::addAttributes);
            case "droppedattributescount" -> event.setDroppedAttributesCount(uint32(child, at));
            default -> {}
          }
        });
    return event.build();
  }

  private Span.Link readLink(JsonNode node, String path) {
    requireObject(node, path);
    Span.Link.Builder link = Span.Link.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "traceid" -> link.setTraceId(id(child, at));
            case "spanid" -> link.setSpanId(id(child, at));
            case "tracestate" -> link.setTraceState(text(child, at));
            case "attributes" -> readAttributes(child, at, link::addAttributes);
            case "droppedattributescount" -> link.setDroppedAttributesCount(uint32(child, at));
            case "flags" -> link.setFlags(uint32(child, at));
            default -> {}
          }
        });
    return link.build();
  }

  private Status readStatus(JsonNode node, String path) {
    requireObject(node, path);
    Status.Builder status = Status.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "code" -> status.setCodeValue(enumNumber(child, at, "STATUS_CODE_"));
            case "message" -> status.setMessage(text(child, at));
            default -> {}
          }
        });
    return status.build();
  }

  private void readAttributes(
      JsonNode node, String path, java.util.function.Consumer<KeyValue> sink) {
    forEachElement(node, path, (p, kv) -> sink.accept(readKeyValue(kv, p)));
  }

  private KeyValue readKeyValue(JsonNode node, String path) {
    requireObject(node, path);
    KeyValue.Builder kv = KeyValue.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "key" -> kv.setKey(text(child, at));
            case "value" -> kv.setValue(readAnyValue(child, at));
            default -> {}
          }
        });
    return kv.build();
  }

  private AnyValue readAnyValue(JsonNode node, String path) {
    if (node.isNull()) {
      return AnyValue.getDefaultInstance();
    }
    requireObject(node, path);
    AnyValue.Builder value = AnyValue.newBuilder();
    fields(
        node,
        path,
        (key, at, child) -> {
          switch (key) {
            case "stringvalue" -> value.setStringValue(text(child, at));
            case "boolvalue" -> value.setBoolValue(bool(child, at));
            case "intvalue" -> value.setIntValue(int64(child, at));
            case "doublevalue" -> value.setDoubleValue(dbl(child, at));
            case "bytesvalue" -> value.setBytesValue(base64(child, at));
            case "arrayvalue" -> {
              requireObject(child, at);
              ArrayValue.Builder array = ArrayValue.newBuilder();
              JsonNode values = child.get("values");
              if (values != null) {
                forEachElement(
                    values, at + ".values", (p, n) -> array.addValues(readAnyValue(n, p)));
              }
              value.setArrayValue(array);
            }
            case "kvlistvalue" -> {
              requireObject(child, at);
              KeyValueList.Builder list = KeyValueList.newBuilder();
              JsonNode values = child.get("values");
              if (values != null) {
                forEachElement(
                    values, at + ".values", (p, n) -> list.addValues(readKeyValue(n, p)));
              }
              value.setKvlistValue(list);
            }
            default -> {}
          }
        });
    return value.build();
  }

  // --- scalar helpers ------------------------------------------------------------------------

  /** Visits one JSON field: its canonical key, its path (with the key as sent) and its value. */
  @FunctionalInterface
  private interface FieldVisitor {
    void visit(String key, String at, JsonNode value);
  }

  private static void fields(JsonNode node, String path, FieldVisitor visitor) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        continue; // proto3 JSON: null means the default value
      }
      visitor.visit(canonicalKey(field.getKey()), path + "." + field.getKey(), field.getValue());
    }
  }

  /** {@code resourceSpans}, {@code resource_spans} and {@code ResourceSpans} all match. */
  static String canonicalKey(String key) {
    StringBuilder sb = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c != '_') {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }

  private static void forEachElement(
      JsonNode node, String path, BiConsumer<String, JsonNode> visitor) {
    if (!node.isArray()) {
      throw error(path, "expected an array, got " + describe(node));
    }
    for (int i = 0; i < node.size(); i++) {
      visitor.accept(path + "[" + i + "]", node.get(i));
    }
  }

  private static void requireObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw error(path, "expected an object, got " + describe(node));
    }
  }

  private static String text(JsonNode node, String path) {
    if (!node.isTextual()) {
      throw error(path, "expected a string, got " + describe(node));
    }
    return node.textValue();
  }

  private static boolean bool(JsonNode node, String path) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
      return Boolean.parseBoolean(node.textValue());
    }
    throw error(path, "expected a boolean, got " + describe(node));
  }

  private static ByteString id(JsonNode node, String path) {
    String hex = text(node, path);
    try {
      return HexIds.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw error(path, e.getMessage());
    }
  }

  private static ByteString base64(JsonNode node, String path) {
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(text(node, path)));
    } catch (IllegalArgumentException e) {
      throw error(path, "not valid base64");
    }
  }

  private static long int64(JsonNode node, String path) {
    BigInteger value = integer(node, path);
    if (value.bitLength() > 63) {
      throw error(path, "integer out of int64 range: " + value);
    }
    return value.longValue();
  }

  private static long uint64(JsonNode node, String path) {
    BigInteger value = integer(node, path);
    if (value.signum() < 0 || value.compareTo(UNSIGNED_LONG_MAX) > 0) {
      throw error(path, "integer out of uint64 range: " + value);
    }
    return value.longValue(); // two's complement, as protobuf stores fixed64
  }

  private static int uint32(JsonNode node, String path) {
    BigInteger value = integer(node, path);
    if (value.signum() < 0 || value.bitLength() > 32) {
      throw error(path, "integer out of uint32 range: " + value);
    }
    return value.intValue();
  }

  private static BigInteger integer(JsonNode node, String path) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue();
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (d == Math.rint(d) && !Double.isInfinite(d)) {
        return java.math.BigDecimal.valueOf(d).toBigIntegerExact();
      }
      throw error(path, "expected an integer, got " + node.asText());
    }
    if (node.isTextual()) {
      try {
        return new BigInteger(node.textValue().trim());
      } catch (NumberFormatException e) {
        throw error(path, "expected an integer, got \"" + abbreviate(node.textValue()) + "\"");
      }
    }
    throw error(path, "expected an integer, got " + describe(node));
  }

  private static double dbl(JsonNode node, String path) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      switch (node.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(node.textValue());
          } catch (NumberFormatException e) {
            throw error(path, "expected a number, got \"" + abbreviate(node.textValue()) + "\"");
          }
      }
    }
    throw error(path, "expected a number, got " + describe(node));
  }

  /** Enums arrive as numbers or as names, with or without their prefix. */
  private static int enumNumber(JsonNode node, String path, String prefix) {
    if (node.isTextual()) {
      String name = node.textValue().trim().toUpperCase(Locale.ROOT);
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
      }
      String[] names =
          prefix.equals("SPAN_KIND_")
              ? new String[] {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"}
              : new String[] {"UNSET", "OK", "ERROR"};
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
        return uint32(node, path);
      }
      throw error(path, "unknown enum value \"" + abbreviate(node.textValue()) + "\"");
    }
    return uint32(node, path);
  }

  private static OtlpDecodeException error(String path, @Nullable String message) {
    return new OtlpDecodeException("invalid OTLP/JSON at " + path + ": " + message);
  }

  private static String describe(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
