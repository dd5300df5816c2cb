package io.agentledger.core.span;

import java.util.Map;

/** A link from a span to another span, possibly in another trace (hex ids). */
public record SpanLink(String traceId, String spanId, Map<String, String> attributes) {

  public SpanLink {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
