package io.agentledger.analyzer.settle;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChainSettlerTest {

  private static final Duration IDLE = Duration.ofSeconds(5);

  private final TestClock clock = new TestClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final SpanStore store = DuckDbSpanStore.inMemory(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    store.close();
  }

  /** Root agent planner → gpt-4o call ($0.30) and agent writer → claude call ($0.45): $0.75. */
  private static List<AgentSpan> chain(String traceId) {
    return List.of(
        span("root", null).trace(traceId).project("p").agent("planner").at(0, 100).build(),
        span("llm1", "root")
            .trace(traceId)
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 10)
            .build(),
        span("writer", "root").trace(traceId).project("p").agent("writer").at(20, 50).build(),
        span("llm2", "writer")
            .trace(traceId)
            .project("p")
            .llm("anthropic", "claude-sonnet-4-5")
            .usage(2000, 300, "0.45")
            .at(21, 10)
            .build());
  }

  private static String trace(int n) {
    return String.format("%032x", 0xfeed00L + n);
  }

  private ChainSettler settler(int pageSize) {
    return new ChainSettler(store, store, clock, IDLE, pageSize, registry);
  }

  @Test
  void chainsAreSettledOnlyOnceIdle_evenWhenMoreShareOneStoreTimeThanAPageHolds() {
    for (int i = 1; i <= 5; i++) {
      store.append(chain(trace(i)));
    }
    ChainSettler settler = settler(2);

    assertThat(settler.settleOnce()).isZero(); // still receiving spans, as far as anyone knows
    assertThat(store.chainSummary("p", trace(1))).isEmpty();

    clock.advance(IDLE.plusSeconds(1));
    assertThat(settler.settleOnce()).isEqualTo(5);
    for (int i = 1; i <= 5; i++) {
      ChainSummary s = store.chainSummary("p", trace(i)).orElseThrow();
      assertThat(s.costUsd()).isEqualByComparingTo("0.75");
      assertThat(s.llmCalls()).isEqualTo(2);
      assertThat(s.agent()).isEqualTo("planner");
    }
    assertThat(registry.counter("agentledger.analyzer.chains.settled").count()).isEqualTo(5);
  }

  @Test
  void aLateSpan_resettlesItsChain_andARestartedSettlerRedoesNothing() {
    store.append(chain(trace(1)));
    store.append(chain(trace(2)));
    clock.advance(IDLE.plusSeconds(1));
    assertThat(settler(100).settleOnce()).isEqualTo(2);

    // A late call of the writer agent: $0.10 more on chain 1 only.
    store.append(
        List.of(
            span("llm3", "writer")
                .trace(trace(1))
                .project("p")
                .llm("openai", "gpt-4o")
                .usage(100, 20, "0.10")
                .at(60, 5)
                .build()));
    clock.advance(IDLE.plusSeconds(1));
    assertThat(settler(100).settleOnce()).isEqualTo(1); // a new instance: the watermark is stored
    assertThat(store.chainSummary("p", trace(1)).orElseThrow().costUsd())
        .isEqualByComparingTo("0.85");
    assertThat(store.chainSummary("p", trace(2)).orElseThrow().costUsd())
        .isEqualByComparingTo("0.75");

    clock.advance(Duration.ofMinutes(1));
    assertThat(settler(100).settleOnce()).isZero();
  }

  @Test
  void settlingTwice_changesNothing() {
    store.append(chain(trace(1)));
    clock.advance(IDLE.plusSeconds(1));
    settler(10).settleOnce();
    ChainSummary first = store.chainSummary("p", trace(1)).orElseThrow();
    store.saveState(ChainSettler.WATERMARK_KEY, Instant.EPOCH.toString()); // forget progress
    assertThat(settler(10).settleOnce()).isEqualTo(1);
    assertThat(store.chainSummary("p", trace(1))).contains(first);
  }

  @Test
  void inTheBackground_settlesUntilClosed() {
    List<String> traces = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      traces.add(trace(i));
      store.append(chain(trace(i)));
    }
    clock.advance(IDLE.plusSeconds(1));
    try (ChainSettler settler = settler(10)) {
      settler.start(Duration.ofMillis(20));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> traces.stream().allMatch(t -> store.chainSummary("p", t).isPresent()));
    }
  }
}
