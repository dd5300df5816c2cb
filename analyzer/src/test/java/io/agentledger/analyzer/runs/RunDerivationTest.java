package io.agentledger.analyzer.runs;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentledger.analyzer.settle.SettledChain;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.store.RunSummary;
import io.agentledger.store.TimeRange;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.agentledger.store.paths.PathNode;
import io.agentledger.store.paths.PathTrees;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunDerivationTest {

  /** Where TestSpans start: 2025-11-23T12:13:20Z. */
  static final Instant T0 = Instant.ofEpochSecond(1_763_900_000L);

  static final TimeRange DAY =
      new TimeRange(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));

  final DuckDbSpanStore store = DuckDbSpanStore.inMemory(Clock.systemUTC());
  final RunDerivation derivation = new RunDerivation(store);

  @AfterEach
  void close() {
    store.close();
  }

  static SettledChain settled(List<AgentSpan> spans) {
    return new SettledChain(spans, ChainRollup.compute(spans));
  }

  static AgentSpan version(AgentSpan s, String version) {
    AgentSemantics a = s.semantics();
    return s.toBuilder()
        .semantics(
            new AgentSemantics(
                a.type(),
                a.operationName(),
                a.agentName(),
                a.agentId(),
                version,
                a.sessionId(),
                a.userId(),
                a.provider(),
                a.requestModel(),
                a.responseModel(),
                a.toolName(),
                a.toolCallId(),
                a.finishReasons()))
        .build();
  }

  static AgentSpan events(AgentSpan s, SpanEvent... events) {
    return s.toBuilder().events(List.of(events)).build();
  }

  static long at(long offsetMillis) {
    return T0.toEpochMilli() * 1_000_000 + offsetMillis * 1_000_000;
  }

  /**
   * Agent "support" 2.0 (0–100 ms): gpt-4o ($0.30), search fails and is tried twice more, decides
   * to escalate, hands off to "refunds" (claude, $0.45, tool refund).
   */
  static List<AgentSpan> crew(String trace) {
    return List.of(
        events(
            version(
                span("root", null)
                    .trace(trace)
                    .agent("support")
                    .service("svc", "1.9")
                    .at(0, 100)
                    .build(),
                "2.0"),
            new SpanEvent(
                at(50),
                "agentledger.decision",
                Map.of(
                    "agentledger.decision.name", "escalate", "agentledger.decision.chosen", "yes")),
            new SpanEvent(
                at(55), "agentledger.handoff", Map.of("agentledger.handoff.to", "refunds"))),
        span("llm1", "root")
            .trace(trace)
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 10)
            .build(),
        span("s1", "root").trace(trace).tool("search").error().at(20, 5).build(),
        span("s2", "root").trace(trace).tool("search").at(30, 5).build(),
        span("s3", "root").trace(trace).tool("search").at(40, 5).build(),
        span("refunds", "root").trace(trace).agent("refunds").at(60, 30).build(),
        span("llm2", "refunds")
            .trace(trace)
            .llm("anthropic", "claude-sonnet-4-5")
            .usage(2000, 300, "0.45")
            .at(61, 10)
            .build(),
        span("refund", "refunds").trace(trace).tool("refund").at(80, 5).build());
  }

  @Test
  void aChain_yieldsOneRunPerAgent_withItsTotalsAndPath() {
    String trace = "0af7651916cd43dd8448eb211c80319c";
    derivation.derive("default", List.of(settled(crew(trace))));

    List<RunSummary> runs = store.runs("default", "", "", DAY, 10);
    assertThat(runs).extracting(RunSummary::agent).containsExactly("support", "refunds");
    RunSummary support = runs.get(0);
    assertThat(support.agentVersion())
        .as("gen_ai.agent.version before service.version")
        .isEqualTo("2.0");
    assertThat(support.path())
        .containsExactly(
            "llm:gpt-4o", "tool:search ×3", "decision:escalate=yes", "handoff:refunds");
    assertThat(support.costUsd()).isEqualByComparingTo("0.75");
    assertThat(support.costComplete()).isTrue();
    assertThat(support.inputTokens()).isEqualTo(3000);
    assertThat(support.outputTokens()).isEqualTo(500);
    assertThat(support.llmCalls()).isEqualTo(2);
    assertThat(support.toolCalls()).isEqualTo(4);
    assertThat(support.errors()).isEqualTo(1);
    assertThat(support.retries()).as("the search after the failed one").isEqualTo(1);
    assertThat(support.models()).containsExactly("claude-sonnet-4-5", "gpt-4o");
    assertThat(support.durationMs()).isEqualTo(100);
    assertThat(support.behaviours()).isEmpty();

    RunSummary refunds = runs.get(1);
    assertThat(refunds.agentVersion())
        .as("service.version when the agent names none")
        .isEqualTo("");
    assertThat(refunds.path()).containsExactly("llm:claude-sonnet-4-5", "tool:refund");
    assertThat(refunds.costUsd()).isEqualByComparingTo("0.45");
    assertThat(refunds.durationMs()).isEqualTo(30);
  }

  @Test
  void settlingAgain_replacesTheRuns() {
    String trace = "0af7651916cd43dd8448eb211c80319c";
    derivation.derive("default", List.of(settled(crew(trace))));
    derivation.derive("default", List.of(settled(crew(trace))));
    List<AgentSpan> fewer = crew(trace).subList(0, 5); // without the nested agent
    derivation.derive("default", List.of(settled(fewer)));

    assertThat(store.runs("default", "", "", DAY, 10))
        .extracting(RunSummary::agent)
        .containsExactly("support");
  }

  @Test
  void aChainWithoutAgents_isOneRunOfItsRoot() {
    String trace = "0af7651916cd43dd8448eb211c8031aa";
    derivation.derive(
        "default",
        List.of(
            settled(
                List.of(
                    span("root", null).trace(trace).at(0, 10).build(),
                    span("llm", "root").trace(trace).llm("openai", "gpt-4o").at(1, 5).build(),
                    span("llm2", "root").trace(trace).llm("openai", "gpt-4o").at(6, 3).build()))));

    assertThat(store.runs("default", "", "", DAY, 10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.agent()).isEmpty();
              assertThat(r.path()).containsExactly("llm:gpt-4o ×2");
            });
  }

  /**
   * The acceptance workload: 10,000 chains of agent "support" whose runs take A→B 70 %, A→C→B 20 %
   * and A→C×3→B 10 % of the time, derived from spans, stored and built into the tree.
   */
  @Test
  void generatedWorkload_yieldsTheGeneratedShares_withinOnePoint() {
    Random random = new Random(13);
    List<SettledChain> page = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      double u = random.nextDouble();
      int searches = u < 0.7 ? 0 : u < 0.9 ? 1 : 3;
      String trace = String.format("%032x", i + 1);
      List<AgentSpan> spans = new ArrayList<>();
      spans.add(span("root", null).trace(trace).agent("support").at(0, 100).build());
      spans.add(
          span("a", "root")
              .trace(trace)
              .llm("openai", "gpt-4o")
              .usage(100, 10, "0.01")
              .at(1, 5)
              .build());
      for (int s = 0; s < searches; s++) {
        spans.add(span("c" + s, "root").trace(trace).tool("search").at(10 + s, 1).build());
      }
      spans.add(span("b", "root").trace(trace).tool("lookup").at(50, 5).build());
      page.add(settled(spans));
      if (page.size() == 500) {
        derivation.derive("default", page);
        page.clear();
      }
    }

    PathNode root =
        PathTrees.tree("agent:support", store.pathGroups("default", "support", "", DAY), 0.01);

    assertThat(root.runs()).isEqualTo(10_000);
    PathNode a = root.child("llm:gpt-4o");
    assertThat(a.child("tool:lookup").share()).isCloseTo(0.7, within(0.01));
    assertThat(a.child("tool:search").share()).isCloseTo(0.2, within(0.01));
    assertThat(a.child("tool:search ×3").share()).isCloseTo(0.1, within(0.01));
    assertThat(a.child("tool:search ×3").child("tool:lookup").runs())
        .isEqualTo(a.child("tool:search ×3").runs());
  }
}
