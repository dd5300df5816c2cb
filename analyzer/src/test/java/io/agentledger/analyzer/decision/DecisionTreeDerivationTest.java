package io.agentledger.analyzer.decision;

import static io.agentledger.core.testing.TestSpans.id;
import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.analyzer.settle.ChainSettler;
import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTreePage;
import io.agentledger.core.decision.NodeKind;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DecisionTreeDerivationTest {

  private static final Duration IDLE = Duration.ofSeconds(5);
  private static final String TRACE = String.format("%032x", 0xdec1L);

  private final TestClock clock = new TestClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final SpanStore store = DuckDbSpanStore.inMemory(clock);
  private final ChainSettler settler =
      new ChainSettler(
          store,
          store,
          List.of(new DecisionTreeDerivation(store)),
          clock,
          IDLE,
          100,
          new SimpleMeterRegistry());

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void settledChain_hasItsTreeStored_aLateSpanReplacesIt() {
    store.append(
        List.of(
            span("root", null).trace(TRACE).project("p").agent("planner").at(0, 100).build(),
            span("llm1", "root")
                .trace(TRACE)
                .project("p")
                .llm("openai", "gpt-4o")
                .usage(1000, 200, "0.30")
                .at(1, 10)
                .build()));
    assertThat(store.decisionTreePage("p", TRACE, -1, 100)).isEmpty();

    clock.advance(IDLE.plusSeconds(1));
    settler.settleOnce();
    DecisionTreePage first = store.decisionTreePage("p", TRACE, -1, 100).orElseThrow();
    assertThat(first.nodes())
        .extracting(DecisionNode::kind)
        .containsExactly(NodeKind.AGENT, NodeKind.LLM);
    assertThat(first.nodes().get(0).totalCostUsd()).isEqualByComparingTo("0.30");

    // An hour later, a tool span of the same chain arrives: the chain settles again.
    clock.advance(Duration.ofHours(1));
    AgentSpan late =
        span("tool", "root").trace(TRACE).project("p").tool("search").at(50, 5).build();
    store.append(List.of(late));
    clock.advance(IDLE.plusSeconds(1));
    settler.settleOnce();

    DecisionTreePage second = store.decisionTreePage("p", TRACE, -1, 100).orElseThrow();
    assertThat(second.totalNodes()).isEqualTo(3);
    assertThat(second.nodes())
        .extracting(DecisionNode::id)
        .containsExactly(id("root"), id("llm1"), id("tool"));
  }
}
