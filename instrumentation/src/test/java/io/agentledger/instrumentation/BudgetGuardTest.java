package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetGuardTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();

  private AgentLedger ledger(BudgetGuard guard) {
    return AgentLedger.builder()
        .tracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .budget(guard)
        .build();
  }

  /** Each gpt-4o call: 10,000 in × $2.50/M + 1,000 out × $10/M = $0.025 + $0.01 = $0.035. */
  private static void expensiveCall(AgentRun run) {
    try (ModelCall call = run.modelCall("openai", "gpt-4o")) {
      call.usage(10_000, 1_000);
    }
  }

  @Test
  void aLoopingAgent_isStoppedAtTheNextCallAfterItsBudgetIsSpent() {
    List<BudgetGuard.Overrun> callbacks = new ArrayList<>();
    // $0.10 allows three calls ($0.105 after the third); the fourth must not start.
    BudgetGuard guard = BudgetGuard.perChain(new BigDecimal("0.10")).onExceeded(callbacks::add);
    int calls = 0;
    try (AgentLedger ledger = ledger(guard);
        AgentRun run = ledger.agent("looper").start()) {
      String trace = run.traceId();
      assertThatThrownBy(
              () -> {
                while (true) { // the agent's bug: it never stops on its own
                  expensiveCall(run);
                }
              })
          .isInstanceOf(BudgetExceededException.class)
          .satisfies(
              e ->
                  assertThat(((BudgetExceededException) e).spentUsd())
                      .isEqualByComparingTo("0.105"));
      calls =
          (int)
              spans.getFinishedSpanItems().stream()
                  .filter(s -> s.getName().equals("chat gpt-4o"))
                  .count();
      assertThat(calls).isEqualTo(3);
      assertThat(guard.spentOnChain(trace)).isEqualByComparingTo("0.105");
      assertThat(callbacks)
          .singleElement()
          .satisfies(o -> assertThat(o.scope()).isEqualTo("chain"));
      // Tool calls are refused too once the chain is over budget.
      assertThatThrownBy(() -> run.tool("search").close())
          .isInstanceOf(BudgetExceededException.class);
    }
  }

  @Test
  void aSessionBudget_spansTheConversationsChains() {
    BudgetGuard guard =
        BudgetGuard.perChain(new BigDecimal("1.00")).perSession(new BigDecimal("0.05"));
    try (AgentLedger ledger = ledger(guard)) {
      try (AgentRun first = ledger.agent("bot").conversation("s-1").start()) {
        expensiveCall(first); // $0.035
      }
      try (AgentRun second = ledger.agent("bot").conversation("s-1").start()) {
        expensiveCall(second); // $0.07 for the session
        assertThatThrownBy(() -> expensiveCall(second))
            .isInstanceOf(BudgetExceededException.class)
            .hasMessageContaining("session s-1");
      }
      try (AgentRun other = ledger.agent("bot").conversation("s-2").start()) {
        expensiveCall(other); // another conversation is unaffected
      }
    }
  }

  @Test
  void callbackOnly_reportsButLetsTheAgentDecide() {
    List<BudgetGuard.Overrun> callbacks = new ArrayList<>();
    BudgetGuard guard =
        BudgetGuard.perChain(new BigDecimal("0.01")).onExceeded(callbacks::add).callbackOnly();
    try (AgentLedger ledger = ledger(guard);
        AgentRun run = ledger.agent("a").start()) {
      expensiveCall(run);
      expensiveCall(run);
      assertThat(callbacks).hasSize(1);
    }
  }

  @Test
  void anUnpricedModel_addsNothing_andSaysSo() {
    BudgetGuard guard = BudgetGuard.perChain(new BigDecimal("0.01"));
    try (AgentLedger ledger = ledger(guard);
        AgentRun run = ledger.agent("a").start()) {
      ModelCall call = run.modelCall("acme", "mystery-model-9").usage(1_000_000, 1_000_000);
      call.close();
      assertThat(call.costUsd()).isEmpty();
      assertThat(guard.spentOnChain(run.traceId())).isZero();
    }
  }
}
