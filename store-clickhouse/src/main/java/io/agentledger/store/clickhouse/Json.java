package io.agentledger.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.store.StoreException;
import io.agentledger.store.StoreFailures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what ClickHouse's {@code toJSONString} writes. Maps, arrays and nested columns are read
 * back through it rather than through the driver's typed getters, so the shape is plain JSON;
 * 64-bit integers may arrive quoted ({@code output_format_json_quote_64bit_integers}).
 */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static Map<String, String> stringMap(String json) {
    return stringMap(tree(json));
  }

  static List<String> strings(String json) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : tree(json)) {
      out.add(n.asText());
    }
    return out;
  }

  static List<Long> longs(String json) {
    List<Long> out = new ArrayList<>();
    for (JsonNode n : tree(json)) {
      if (!n.isNumber() && !(n.isTextual() && n.asText().matches("-?\\d+"))) {
        throw new StoreException("not an integer in stored data: " + n, false);
      }
      out.add(n.isNumber() ? n.longValue() : Long.parseLong(n.asText()));
    }
    return out;
  }

  static List<Map<String, String>> stringMaps(String json) {
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonNode n : tree(json)) {
      out.add(stringMap(n));
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static JsonNode tree(String json) {
    if (json == null || json.isEmpty()) {
      return MAPPER.createArrayNode();
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw StoreFailures.badJson("stored JSON is unreadable", e);
    }
  }
}
