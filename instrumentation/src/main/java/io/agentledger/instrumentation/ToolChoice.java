package io.agentledger.instrumentation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A tool call a model chose, written as a {@code tool_call} part of {@code gen_ai.output.messages}
 * (the conventions' JSON schema {@code gen-ai-output-messages.json}: {@code type}, {@code id},
 * {@code name}, {@code arguments}).
 */
record ToolChoice(String id, String name, @Nullable String argumentsJson) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** One assistant message holding every tool call, finished for {@code tool_call}. */
  static String outputMessages(List<ToolChoice> choices) {
    ArrayNode parts = JsonNodeFactory.instance.arrayNode();
    for (ToolChoice choice : choices) {
      ObjectNode part = parts.addObject();
      part.put("type", "tool_call");
      part.put("id", choice.id());
      part.put("name", choice.name());
      part.set("arguments", arguments(choice.argumentsJson()));
    }
    ObjectNode message = JsonNodeFactory.instance.objectNode();
    message.put("role", "assistant");
    message.set("parts", parts);
    message.put("finish_reason", "tool_call");
    return JsonNodeFactory.instance.arrayNode().add(message).toString();
  }

  /** The arguments as JSON; text that is not JSON stays a string rather than failing the agent. */
  private static JsonNode arguments(@Nullable String json) {
    if (json == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    try {
      JsonNode parsed = JSON.readTree(json);
      if (!parsed.isMissingNode()) {
        return parsed;
      }
    } catch (JsonProcessingException e) {
      // not JSON: kept as the text it is
    }
    return JsonNodeFactory.instance.textNode(json);
  }
}
