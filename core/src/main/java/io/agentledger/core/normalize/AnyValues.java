package io.agentledger.core.normalize;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Renders OTLP attribute values as strings: strings as themselves, numbers in decimal (integral
 * doubles without a fraction, so a JavaScript {@code 1200} reads the same as an int), booleans as
 * {@code true}/{@code false}, arrays and key-value lists as JSON, bytes as base64.
 */
final class AnyValues {

  /** Attributes kept per span, resource, event or link; the rest are dropped with a warning. */
  static final int MAX_ATTRIBUTES = 1024;

  private AnyValues() {}

  /**
   * The attributes as an insertion-ordered map; values longer than {@code maxValueLength} are cut
   * and their keys reported to {@code onTruncated}.
   */
  static Map<String, String> toMap(
      List<KeyValue> keyValues, int maxValueLength, Consumer<String> onTruncated) {
    if (keyValues.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>(Math.min(keyValues.size(), MAX_ATTRIBUTES) * 2);
    for (KeyValue kv : keyValues) {
      if (out.size() == MAX_ATTRIBUTES) {
        onTruncated.accept("(attributes after the first " + MAX_ATTRIBUTES + " dropped)");
        break;
      }
      if (kv.hasValue()
          && kv.getValue().getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET
          && !kv.getKey().isEmpty()) {
        String text = toText(kv.getValue());
        if (text.length() > maxValueLength) {
          onTruncated.accept(kv.getKey());
          text = truncate(text, maxValueLength);
        }
        out.put(kv.getKey(), text);
      }
    }
    return out;
  }

  static String truncate(String value, int maxLength) {
    int cut = maxLength;
    if (cut > 0 && Character.isHighSurrogate(value.charAt(cut - 1))) {
      cut--; // never split a surrogate pair
    }
    return value.substring(0, cut) + "…[truncated " + (value.length() - cut) + " chars]";
  }

  static String toText(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return value.getBoolValue() ? "true" : "false";
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case DOUBLE_VALUE:
        return doubleText(value.getDoubleValue());
      case BYTES_VALUE:
        return Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      case ARRAY_VALUE:
      case KVLIST_VALUE:
        StringBuilder sb = new StringBuilder();
        appendJson(value, sb);
        return sb.toString();
      default:
        return "";
    }
  }

  static String doubleText(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static void appendJson(AnyValue value, StringBuilder sb) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> appendString(value.getStringValue(), sb);
      case BOOL_VALUE -> sb.append(value.getBoolValue());
      case INT_VALUE -> sb.append(value.getIntValue());
      case DOUBLE_VALUE -> {
        double d = value.getDoubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          appendString(Double.toString(d), sb);
        } else {
          sb.append(doubleText(d));
        }
      }
      case BYTES_VALUE ->
          appendString(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()), sb);
      case ARRAY_VALUE -> {
        sb.append('[');
        List<AnyValue> values = value.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          appendJson(values.get(i), sb);
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        sb.append('{');
        List<KeyValue> values = value.getKvlistValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          appendString(values.get(i).getKey(), sb);
          sb.append(':');
          appendJson(values.get(i).getValue(), sb);
        }
        sb.append('}');
      }
      default -> sb.append("null");
    }
  }

  private static void appendString(String s, StringBuilder sb) {
    sb.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    sb.append('"');
  }
}
