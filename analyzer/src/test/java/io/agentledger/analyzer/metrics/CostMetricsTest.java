package io.agentledger.analyzer.metrics;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.analyzer.settle.SettledChain;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** root agent planner → llm gpt-4o $0.30; agent writer → llm claude $0.45 (unpriced if null). */
  private static List<AgentSpan> chain(String trace, String writerCost) {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(span("root", null).trace(trace).project("p").agent("planner").build());
    spans.add(
        span("llm1", "root")
            .trace(trace)
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 1)
            .build());
    spans.add(span("writer", "root").trace(trace).project("p").agent("writer").at(2, 5).build());
    var llm2 = span("llm2", "writer").trace(trace).project("p").llm("anthropic", "claude").at(3, 1);
    spans.add(
        (writerCost == null ? llm2.unpricedUsage(2000, 300) : llm2.usage(2000, 300, writerCost))
            .build());
    return spans;
  }

  private static SettledChain settled(List<AgentSpan> spans) {
    return new SettledChain(spans, ChainRollup.compute(spans));
  }

  private double count(String name, String agent, String model) {
    Counter c =
        registry.find(name).tag("project", "p").tag("agent", agent).tag("model", model).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void countsPerAgentAndModel_andNeverTwiceForAReSettledOrReplayedChain() {
    CostMetrics metrics = new CostMetrics(registry, 10);
    List<AgentSpan> spans = chain(trace(1), "0.45");
    metrics.derive("p", List.of(settled(spans)));
    assertThat(count("agentledger.cost.usd", "planner", "gpt-4o")).isEqualTo(0.30, within());
    assertThat(count("agentledger.cost.usd", "writer", "claude")).isEqualTo(0.45, within());
    assertThat(count("agentledger.llm.calls", "writer", "claude")).isEqualTo(1);
    assertThat(
            registry
                .find("agentledger.tokens")
                .tag("agent", "writer")
                .tag("type", "input")
                .counter()
                .count())
        .isEqualTo(2000);

    // the same chain settles again (a replay changed nothing): nothing is added
    metrics.derive("p", List.of(settled(spans)));
    assertThat(count("agentledger.cost.usd", "writer", "claude")).isEqualTo(0.45, within());

    // a late span re-settles it: only the new call is added
    List<AgentSpan> late = new ArrayList<>(spans);
    late.add(
        span("llm3", "writer")
            .trace(trace(1))
            .project("p")
            .llm("anthropic", "claude")
            .usage(10, 1, "0.05")
            .at(9, 1)
            .build());
    metrics.derive("p", List.of(settled(late)));
    assertThat(count("agentledger.cost.usd", "writer", "claude")).isEqualTo(0.50, within());
    assertThat(count("agentledger.llm.calls", "writer", "claude")).isEqualTo(2);
    assertThat(count("agentledger.llm.calls", "planner", "gpt-4o")).isEqualTo(1);
  }

  @Test
  void unpricedCallsAreCounted_andLabelsPastTheBoundAreOther() {
    CostMetrics metrics = new CostMetrics(registry, 2);
    metrics.derive("p", List.of(settled(chain(trace(1), null))));
    assertThat(count("agentledger.llm.unpriced.calls", "writer", "claude")).isEqualTo(1);
    assertThat(count("agentledger.cost.usd", "writer", "claude")).isZero();

    // models: gpt-4o and claude are the first two; a third is "other"
    List<AgentSpan> third = new ArrayList<>();
    third.add(span("root", null).trace(trace(2)).project("p").agent("planner").build());
    third.add(
        span("x", "root")
            .trace(trace(2))
            .project("p")
            .llm("openai", "gpt-5")
            .usage(1, 1, "1.00")
            .at(1, 1)
            .build());
    metrics.derive("p", List.of(settled(third)));
    assertThat(count("agentledger.cost.usd", "planner", "other")).isEqualTo(1.0, within());
    assertThat(registry.find("agentledger.cost.usd").tag("model", "gpt-5").counter()).isNull();
  }

  @Test
  void forgetsTheOldestChainsPastItsMemory() {
    CostMetrics metrics = new CostMetrics(registry, 10, 1);
    metrics.derive("p", List.of(settled(chain(trace(1), "0.45"))));
    metrics.derive("p", List.of(settled(chain(trace(2), "0.45"))));
    // trace 2 is remembered: settling it again adds nothing
    metrics.derive("p", List.of(settled(chain(trace(2), "0.45"))));
    assertThat(count("agentledger.cost.usd", "writer", "claude")).isEqualTo(0.90, within());
  }

  private static String trace(int n) {
    return String.format("%032x", 0xc0ffeeL + n);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
