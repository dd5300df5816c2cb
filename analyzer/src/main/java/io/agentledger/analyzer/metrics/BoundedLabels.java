package io.agentledger.analyzer.metrics;

import java.util.HashSet;
import java.util.Set;

/**
 * Keeps a label's values to a closed set: the first {@code max} distinct values seen are kept,
 * every later one becomes {@value #OTHER}, so a client inventing agent or model names adds no
 * series past the bound. An empty value is {@value #NONE}.
 */
final class BoundedLabels {

  static final String OTHER = "other";
  static final String NONE = "none";

  private final int max;
  private final Set<String> kept = new HashSet<>();

  BoundedLabels(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive");
    }
    this.max = max;
  }

  synchronized String of(String value) {
    String v = value.isEmpty() ? NONE : value;
    if (kept.contains(v)) {
      return v;
    }
    if (kept.size() < max) {
      kept.add(v);
      return v;
    }
    return OTHER;
  }
}
