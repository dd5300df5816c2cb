package io.agentledger.core.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.span.AgentSpan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/** Reads the tool calls a model asked for from a model-call span, whatever the convention. */
final class ChosenTools {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ChosenTools() {}

  /** The span's chosen tool calls in the model's order; the first convention that has any wins. */
  static List<ToolChoice> of(AgentSpan span) {
    Map<String, String> attributes = span.attributes();
    for (DecisionKeys.JsonCalls source : DecisionKeys.CHOSEN_JSON) {
      String text = attributes.get(source.key());
      if (text != null) {
        List<ToolChoice> calls = fromJson(text, source.shape());
        if (!calls.isEmpty()) {
          return calls;
        }
      }
    }
    for (DecisionKeys.FlatCalls source : DecisionKeys.CHOSEN_FLAT) {
      List<ToolChoice> calls = fromFlat(attributes, source);
      if (!calls.isEmpty()) {
        return calls;
      }
    }
    return fromPlain(attributes);
  }

  /** Truncates arguments to {@link DecisionKeys#MAX_ARGUMENTS} characters. */
  static String truncate(@Nullable String text) {
    if (text == null) {
      return "";
    }
    int max = DecisionKeys.MAX_ARGUMENTS;
    if (text.length() <= max) {
      return text;
    }
    int cut = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, cut) + "…";
  }

  private static List<ToolChoice> fromJson(String text, DecisionKeys.JsonShape shape) {
    JsonNode root = parse(text);
    if (root == null) {
      return List.of();
    }
    List<ToolChoice> out = new ArrayList<>();
    switch (shape) {
      case OTEL_PARTS -> {
        for (JsonNode message : iterable(root)) {
          for (JsonNode part : message.path("parts")) {
            if ("tool_call".equals(part.path("type").asText())) {
              out.add(choice(part.path("id"), part.path("name"), part.path("arguments")));
            }
          }
        }
      }
      case VERCEL -> {
        for (JsonNode call : iterable(root)) {
          JsonNode args = call.has("input") ? call.path("input") : call.path("args");
          out.add(choice(call.path("toolCallId"), call.path("toolName"), args));
        }
      }
      case OPENAI -> openAi(root, out, 0);
    }
    out.removeIf(c -> c.name().isEmpty());
    return out;
  }

  /**
   * OpenAI-shaped messages: {@code tool_calls} lists anywhere in a message, a list of messages, a
   * response's {@code choices[].message}, or Pydantic AI's event list; a few levels deep at most.
   */
  private static void openAi(JsonNode node, List<ToolChoice> out, int depth) {
    if (depth > 4) {
      return;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        openAi(item, out, depth + 1);
      }
    } else if (node.isObject()) {
      JsonNode calls = node.path("tool_calls");
      if (calls.isArray()) {
        for (JsonNode call : calls) {
          JsonNode function = call.path("function");
          out.add(choice(call.path("id"), function.path("name"), function.path("arguments")));
        }
        return;
      }
      for (String field : List.of("message", "choices", "messages", "output")) {
        if (node.has(field)) {
          openAi(node.path(field), out, depth + 1);
        }
      }
    }
  }

  private static List<ToolChoice> fromFlat(
      Map<String, String> attributes, DecisionKeys.FlatCalls source) {
    // (message, call) -> fields, in index order
    TreeMap<Long, String[]> calls = new TreeMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      Matcher m = source.pattern().matcher(e.getKey());
      if (!m.matches()) {
        continue;
      }
      long message;
      long call;
      try {
        message = Long.parseLong(m.group(1));
        call = Long.parseLong(m.group(2));
      } catch (NumberFormatException ex) {
        continue;
      }
      String[] fields =
          calls.computeIfAbsent((message << 20) | (call & 0xFFFFF), k -> new String[3]);
      String field = m.group(3);
      if (field.equals(source.nameField())) {
        fields[0] = e.getValue();
      } else if (field.equals(source.argumentsField())) {
        fields[1] = e.getValue();
      } else if (field.equals(source.idField())) {
        fields[2] = e.getValue();
      }
    }
    List<ToolChoice> out = new ArrayList<>();
    for (String[] f : calls.values()) {
      if (f[0] != null && !f[0].isEmpty()) {
        out.add(new ToolChoice(f[2], f[0], truncate(f[1])));
      }
    }
    return out;
  }

  /** OpenLIT: the chosen tool's name, id and arguments on the model span; several comma-joined. */
  private static List<ToolChoice> fromPlain(Map<String, String> attributes) {
    String names = attributes.get(DecisionKeys.CHOSEN_NAME.name());
    if (names == null || names.isBlank()) {
      return List.of();
    }
    String ids = attributes.getOrDefault(DecisionKeys.CHOSEN_ID.name(), "");
    String args = attributes.getOrDefault(DecisionKeys.CHOSEN_ARGUMENTS.name(), "");
    String[] nameList = names.split(",");
    String[] idList = ids.split(",");
    List<ToolChoice> out = new ArrayList<>();
    for (int i = 0; i < nameList.length; i++) {
      String id = idList.length == nameList.length ? idList[i].trim() : "";
      out.add(new ToolChoice(id, nameList[i].trim(), nameList.length == 1 ? truncate(args) : ""));
    }
    return out;
  }

  private static ToolChoice choice(JsonNode id, JsonNode name, JsonNode arguments) {
    String args =
        arguments.isMissingNode() || arguments.isNull()
            ? ""
            : arguments.isTextual() ? arguments.asText() : arguments.toString();
    return new ToolChoice(id.asText(""), name.asText(""), truncate(args));
  }

  private static Iterable<JsonNode> iterable(JsonNode root) {
    return root.isArray() ? root : List.of(root);
  }

  private static @Nullable JsonNode parse(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty() || (trimmed.charAt(0) != '[' && trimmed.charAt(0) != '{')) {
      return null;
    }
    try {
      return MAPPER.readTree(trimmed);
    } catch (IOException e) {
      return null;
    }
  }
}
