package io.agentledger.core.span;

import java.util.Map;

/** A timestamped event on a span (exceptions, decisions, content events). */
public record SpanEvent(long epochNanos, String name, Map<String, String> attributes) {

  public SpanEvent {
    name = name == null ? "" : name;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
