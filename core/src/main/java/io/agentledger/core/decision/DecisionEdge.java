package io.agentledger.core.decision;

import java.util.Objects;

/**
 * A typed edge between two nodes of a decision tree.
 *
 * @param source the id of the node the edge leaves
 * @param target the id of the node the edge enters
 * @param kind how they relate
 */
public record DecisionEdge(String source, String target, EdgeKind kind) {
  public DecisionEdge {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
  }

  /** A stable id for the edge, unique within its tree. */
  public String id() {
    return source + ">" + target + ":" + kind.wireName();
  }
}
