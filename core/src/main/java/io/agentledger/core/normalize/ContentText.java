package io.agentledger.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The prompt and completion text a span recorded, for estimating tokens when usage is missing.
 * Message JSON is reduced to its text parts, so the estimate counts words, not JSON syntax.
 */
final class ContentText {

  private static final String[] INPUT = Conventions.INPUT_TEXT.names();
  private static final String[] OUTPUT = Conventions.OUTPUT_TEXT.names();

  private static final String SYSTEM = Conventions.SYSTEM_TEXT.key();
  private static final String[][] INPUT_INDEXED = patterns(Conventions.INPUT_TEXT_INDEXED);
  private static final String[][] OUTPUT_INDEXED = patterns(Conventions.OUTPUT_TEXT_INDEXED);

  private ContentText() {}

  static String input(Attrs a) {
    String system = text(a.get(SYSTEM));
    String main = firstText(a, INPUT);
    for (int i = 0; main.isEmpty() && i < INPUT_INDEXED.length; i++) {
      main = flattened(a, INPUT_INDEXED[i][0], INPUT_INDEXED[i][1]);
    }
    return system.isEmpty() ? main : system + "\n" + main;
  }

  static String output(Attrs a) {
    String main = firstText(a, OUTPUT);
    for (int i = 0; main.isEmpty() && i < OUTPUT_INDEXED.length; i++) {
      main = flattened(a, OUTPUT_INDEXED[i][0], OUTPUT_INDEXED[i][1]);
    }
    return main;
  }

  /** {@code gen_ai.prompt.{i}.content} → prefix {@code gen_ai.prompt.}, suffix {@code .content}. */
  private static String[][] patterns(Conventions.Field field) {
    String[][] out = new String[field.names().length][];
    for (int i = 0; i < out.length; i++) {
      String key = field.names()[i];
      int at = key.indexOf("{i}");
      out[i] = new String[] {key.substring(0, at), key.substring(at + 3)};
    }
    return out;
  }

  private static String firstText(Attrs a, String[] keys) {
    String raw = a.first(keys);
    return raw.isEmpty() ? "" : text(raw);
  }

  /**
   * Indexed attributes such as {@code gen_ai.prompt.0.content}, {@code gen_ai.prompt.1.content}.
   */
  private static String flattened(Attrs a, String prefix, String suffix) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : a.map().entrySet()) {
      String key = e.getKey();
      if (key.startsWith(prefix) && key.endsWith(suffix)) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(e.getValue());
      }
    }
    return sb.toString();
  }

  /** Text parts of message JSON ({@code content}, {@code text} fields), or the raw text. */
  static String text(String raw) {
    if (raw.isEmpty()) {
      return raw;
    }
    JsonNode node = SmallJson.parse(raw);
    if (node == null) {
      return raw;
    }
    StringBuilder sb = new StringBuilder();
    collect(node, null, sb);
    return sb.length() == 0 ? raw : sb.toString();
  }

  private static void collect(JsonNode node, String field, StringBuilder sb) {
    if (node.isTextual()) {
      if (field == null
          || field.equals("content")
          || field.equals("text")
          || field.equals("arguments")) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(node.textValue());
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        collect(child, field, sb);
      }
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(e.getValue(), e.getKey(), sb);
      }
    }
  }
}
