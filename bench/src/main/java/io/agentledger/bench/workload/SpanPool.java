package io.agentledger.bench.workload;

import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.span.AgentSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generated chains, normalized once, that can be replayed as fresh chains (new trace ids, shifted
 * times) to fill a store with millions of spans without generating and normalizing each one.
 */
public final class SpanPool {

  private final List<AgentSpan> spans;
  private final List<String> traceIds;

  private SpanPool(List<AgentSpan> spans, List<String> traceIds) {
    this.spans = List.copyOf(spans);
    this.traceIds = List.copyOf(traceIds);
  }

  /** At least {@code minSpans} spans of whole chains starting at {@code startEpochNanos}. */
  public static SpanPool generate(
      WorkloadSpec spec, long seed, int minSpans, String project, long startEpochNanos) {
    WorkloadGenerator generator = new WorkloadGenerator(spec, seed);
    SpanNormalizer normalizer = new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()));
    List<AgentSpan> spans = new ArrayList<>(minSpans + 1000);
    List<String> traces = new ArrayList<>();
    long t = startEpochNanos;
    while (spans.size() < minSpans) {
      List<GeneratedChain> chains = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        GeneratedChain c = generator.next(t);
        t += 50_000_000L;
        chains.add(c);
        traces.add(c.traceId());
      }
      NormalizedBatch batch =
          normalizer.normalize(WorkloadGenerator.request("crew", chains), project);
      if (batch.rejectedSpans() > 0) {
        throw new IllegalStateException("generated spans rejected: " + batch.errors());
      }
      spans.addAll(batch.spans());
    }
    return new SpanPool(spans, traces);
  }

  public int size() {
    return spans.size();
  }

  public List<String> traceIds() {
    return traceIds;
  }

  /** The pool's spans as round {@code round}'s chains: new trace ids, times shifted. */
  public List<AgentSpan> round(int round, long shiftNanos, int from, int to) {
    List<AgentSpan> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      AgentSpan s = spans.get(i);
      out.add(
          round == 0 && shiftNanos == 0
              ? s
              : s.toBuilder()
                  .traceId(traceId(s.traceId(), round))
                  .startEpochNanos(s.startEpochNanos() + shiftNanos)
                  .endEpochNanos(s.endEpochNanos() + shiftNanos)
                  .build());
    }
    return out;
  }

  /** The trace id a pool chain has in round {@code round}. */
  public static String traceId(String original, int round) {
    return round == 0
        ? original
        : String.format(Locale.ROOT, "%08x", round) + original.substring(8);
  }
}
