package io.agentledger.core.normalize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Parses the JSON that some conventions put inside string attributes. */
final class SmallJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private SmallJson() {}

  /** The parsed tree, or null when the text is not JSON. */
  static @Nullable JsonNode parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    char c = text.trim().charAt(0);
    if (c != '{' && c != '[' && c != '"') {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }
}
