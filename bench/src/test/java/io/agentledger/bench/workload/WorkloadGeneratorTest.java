package io.agentledger.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {

  private static final long START = 1_795_521_600_000_000_000L;

  private static List<GeneratedChain> chains(WorkloadSpec spec, long seed, int n) {
    WorkloadGenerator g = new WorkloadGenerator(spec, seed);
    List<GeneratedChain> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(g.next(START + i * 1_000_000_000L));
    }
    return out;
  }

  @Test
  void generatedChains_normalizeWithoutErrors_andCostWhatTheGeneratorSaysTheySpent() {
    for (boolean content : new boolean[] {false, true}) {
      List<GeneratedChain> chains =
          chains(WorkloadSpec.realistic().withCaptureContent(content), 42, 200);
      NormalizedBatch batch =
          new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()))
              .normalize(WorkloadGenerator.request("crew", chains), "bench");

      assertThat(batch.rejectedSpans()).isZero();
      assertThat(batch.warnings()).isEmpty();
      Map<String, List<AgentSpan>> byTrace =
          batch.spans().stream().collect(Collectors.groupingBy(AgentSpan::traceId));
      assertThat(byTrace).hasSize(chains.size());
      for (GeneratedChain c : chains) {
        ChainSummary s = ChainRollup.compute(byTrace.get(c.traceId())).summary();
        assertThat(s.costUsd()).as(c.traceId()).isEqualByComparingTo(c.costUsd());
        assertThat(s.llmCalls()).isEqualTo(c.llmCalls());
        assertThat(s.costComplete()).isTrue();
        assertThat(s.spanCount()).isEqualTo(c.spans().size());
      }
    }
  }

  @Test
  void everyConvention_alone_isPricedExactly() {
    for (WorkloadSpec.Convention convention : WorkloadSpec.Convention.values()) {
      List<GeneratedChain> chains =
          chains(WorkloadSpec.realistic().withConventions(List.of(convention)), 7, 50);
      NormalizedBatch batch =
          new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()))
              .normalize(WorkloadGenerator.request("crew", chains), "bench");
      Map<String, List<AgentSpan>> byTrace =
          batch.spans().stream().collect(Collectors.groupingBy(AgentSpan::traceId));
      for (GeneratedChain c : chains) {
        assertThat(ChainRollup.compute(byTrace.get(c.traceId())).summary().costUsd())
            .as("%s %s", convention, c.traceId())
            .isEqualByComparingTo(c.costUsd());
      }
    }
  }

  @Test
  void aSeed_reproducesTheSameWorkload_andSpansCarryAboutTwentyAttributes() {
    List<GeneratedChain> a = chains(WorkloadSpec.realistic(), 1, 20);
    List<GeneratedChain> b = chains(WorkloadSpec.realistic(), 1, 20);
    assertThat(WorkloadGenerator.request("x", a).toByteArray())
        .isEqualTo(WorkloadGenerator.request("x", b).toByteArray());
    assertThat(chains(WorkloadSpec.realistic(), 2, 20).get(0).traceId())
        .isNotEqualTo(a.get(0).traceId());
    double modelCallAttributes =
        a.stream()
            .flatMap(c -> c.spans().stream())
            .filter(s -> s.getAttributesCount() > 10)
            .mapToInt(s -> s.getAttributesCount())
            .average()
            .orElseThrow();
    assertThat(modelCallAttributes).isBetween(14.0, 24.0);
  }
}
