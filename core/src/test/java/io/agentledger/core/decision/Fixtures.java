package io.agentledger.core.decision;

import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.testing.TestCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Captured OTLP fixtures, normalized and rolled up as the pipeline does. */
final class Fixtures {

  private static final SpanNormalizer NORMALIZER =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()));

  private Fixtures() {}

  static List<AgentSpan> spans(String fixture) {
    OtlpFormat format = fixture.endsWith(".json") ? OtlpFormat.JSON : OtlpFormat.PROTOBUF;
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/otlp/" + fixture)) {
      Objects.requireNonNull(in, fixture);
      return NORMALIZER.normalize(OtlpTraceDecoder.decode(in.readAllBytes(), format), null).spans();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ChainRollupResult rollup(List<AgentSpan> spans) {
    return ChainRollup.compute(spans);
  }

  /** The tree of the fixture's largest trace (some fixtures hold a second, one-span trace). */
  static DecisionTree tree(String fixture) {
    List<AgentSpan> largest =
        spans(fixture).stream().collect(Collectors.groupingBy(AgentSpan::traceId)).values().stream()
            .max(java.util.Comparator.comparingInt(List::size))
            .orElseThrow();
    return DecisionTree.of(rollup(largest));
  }

  /** One line per node, indented by depth: {@code kind:label}. */
  static String outline(DecisionTree tree) {
    java.util.Map<String, Integer> depth = new java.util.HashMap<>();
    StringBuilder out = new StringBuilder();
    for (DecisionNode n : tree.nodes()) {
      int d = n.parentId().isEmpty() ? 0 : depth.get(n.parentId()) + 1;
      depth.put(n.id(), d);
      out.append("  ".repeat(d)).append(n.kind().wireName()).append(':').append(n.label());
      out.append('\n');
    }
    return out.toString();
  }

  /** Edges other than calls/next, as {@code kind:label -kind-> kind:label}. */
  static List<String> typedEdges(DecisionTree tree) {
    java.util.Map<String, DecisionNode> byId =
        tree.nodes().stream().collect(Collectors.toMap(DecisionNode::id, n -> n));
    return tree.edges().stream()
        .filter(e -> e.kind() != EdgeKind.CALLS && e.kind() != EdgeKind.NEXT)
        .map(
            e ->
                name(byId.get(e.source()))
                    + " -"
                    + e.kind().wireName()
                    + "-> "
                    + name(byId.get(e.target())))
        .toList();
  }

  static String name(DecisionNode n) {
    return n.kind().wireName() + ":" + n.label();
  }
}
