package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Misuse and failures never reach agent code, every span ends, and the API answers. */
class NeverHurtsTheHostTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();

  /** Over an OpenTelemetry the ledger does not own: closing it keeps the finished spans. */
  private AgentLedger.Builder ledger() {
    return AgentLedger.builder()
        .openTelemetry(
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build());
  }

  private Map<String, SpanData> byName() {
    return spans.getFinishedSpanItems().stream()
        .collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> b));
  }

  @Test
  @SuppressWarnings("NullAway") // nulls where the API says non-null: that is the misuse
  void misuseOfEveryPublicType_isIgnoredAndCounted_andEverySpanEnds() {
    long before = AgentLedger.problems();
    assertThatCode(
            () -> {
              try (AgentLedger ledger = ledger().build();
                  AgentRun run = ledger.agent(null).version(null).start()) {
                run.decision(null, null, null, null, null).fail(null).attribute(null, "x");
                run.attribute("", 1L);
                try (ModelCall call = run.modelCall(null, null)) {
                  call.usage(-1, 10)
                      .cacheRead(-5)
                      .cacheWrite(-1)
                      .reasoning(-2)
                      .responseModel(null)
                      .finishReasons((String[]) null)
                      .toolCall(null, null, null)
                      .fail(null);
                  call.close();
                  call.usage(10, 10); // after close
                }
                try (ModelCall call = run.modelCall("openai", "gpt-4o-mini", -3, -4)) {
                  call.usage(1, 1);
                }
                try (ToolCall tool = run.tool(null)) {
                  tool.callId(null).arguments(null).result(null).fail(null);
                }
                try (Retrieval r = run.retrieval(null)) {
                  r.topK(-1).query(null).documents(-1);
                }
                try (Approval approval = run.requestApproval(null)) {
                  approval.approve("alice");
                  approval.deny("bob", "changed my mind"); // answered twice
                }
                try (AgentRun other = run.handoff(null, null)) {
                  other.close();
                }
                run.close();
                ledger.close();
                ledger.close(); // twice
                assertThat(ledger.flush(Duration.ofSeconds(1))).isTrue(); // nothing of its own
              }
            })
        .doesNotThrowAnyException();
    assertThat(AgentLedger.problems() - before).isGreaterThanOrEqualTo(15);
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).hasSize(7).allSatisfy(s -> assertThat(s.hasEnded()).isTrue());
    assertThat(byName().get("approval unknown").getAttributes().get(Keys.APPROVAL_STATUS))
        .isEqualTo("approved"); // the first answer stands
  }

  @Test
  void pricingThatFails_isLogged_andTheCallSpanStillEndsWithItsUsage() {
    try (AgentLedger ledger =
            ledger()
                .pricer(
                    (provider, model, usage, start) -> {
                      throw new IllegalStateException("catalog corrupted");
                    })
                .budget(BudgetGuard.perChain(new BigDecimal("1")))
                .build();
        AgentRun run = ledger.agent("a").start()) {
      ModelCall call = run.modelCall("openai", "gpt-4o-mini");
      call.usage(100, 10);
      assertThatCode(call::close).doesNotThrowAnyException();
      assertThat(call.costUsd()).isEmpty();
      assertThat(run.costUsd()).isZero();
    }
    SpanData chat = byName().get("chat gpt-4o-mini");
    assertThat(chat.hasEnded()).isTrue();
    assertThat(chat.getAttributes().get(Keys.INPUT_TOKENS)).isEqualTo(100L);
  }

  @Test
  void theCostOfACall_isThereWithoutABudgetGuard_beforeAndAfterClose() {
    try (AgentLedger ledger = ledger().build();
        AgentRun planner = ledger.agent("planner").start()) {
      ModelCall call = planner.modelCall("openai", "gpt-4o-mini");
      assertThat(call.costUsd()).isEmpty(); // no usage yet
      call.usage(1_000, 100).cacheRead(200);
      // 800 × $0.15/M + 200 × $0.075/M + 100 × $0.60/M
      assertThat(call.costUsd())
          .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.000195"));
      call.close();
      try (AgentRun writer = planner.handoff("writer", "3.0")) {
        try (ModelCall c = writer.modelCall("openai", "gpt-4o")) {
          c.usage(2_000, 500); // $0.005 + $0.005
        }
        assertThat(writer.costUsd()).isEqualByComparingTo("0.01");
      }
      assertThat(call.costUsd())
          .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.000195"));
      assertThat(planner.costUsd()).isEqualByComparingTo("0.010195");
    }
    SpanData writer = byName().get("invoke_agent writer");
    assertThat(writer.getAttributes().get(Keys.AGENT_VERSION)).isEqualTo("3.0");
    EventData handoff = byName().get("invoke_agent planner").getEvents().get(0);
    assertThat(handoff.getAttributes().get(Keys.HANDOFF_TO_VERSION)).isEqualTo("3.0");
    assertThat(byName().get("chat gpt-4o").getAttributes().get(Keys.AGENT_VERSION))
        .isEqualTo("3.0");
  }

  @Test
  void ownAttributesAndTheSpan_reachEveryStep() {
    try (AgentLedger ledger = ledger().build();
        AgentRun run = ledger.agent("a").start()) {
      run.attribute("tenant", "acme").attribute("retries", 2L).attribute("canary", true);
      run.span().setAttribute("raw", 1.5);
      try (ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
        call.attribute("ticket.priority", "high").attribute("score", 0.5);
      }
      try (ToolCall tool = run.tool("search")) {
        tool.attribute("cache.hit", false);
      }
      try (Retrieval r = run.retrieval("kb")) {
        r.attribute("index", "v2");
      }
      try (Approval a = run.requestApproval("refund")) {
        a.attribute("amount", 20L);
        a.approve("bob");
      }
    }
    Map<String, SpanData> s = byName();
    assertThat(s.get("invoke_agent a").getAttributes().get(AttributeKey.stringKey("tenant")))
        .isEqualTo("acme");
    assertThat(s.get("invoke_agent a").getAttributes().get(AttributeKey.longKey("retries")))
        .isEqualTo(2L);
    assertThat(s.get("invoke_agent a").getAttributes().get(AttributeKey.doubleKey("raw")))
        .isEqualTo(1.5);
    assertThat(
            s.get("chat gpt-4o-mini")
                .getAttributes()
                .get(AttributeKey.stringKey("ticket.priority")))
        .isEqualTo("high");
    assertThat(
            s.get("execute_tool search").getAttributes().get(AttributeKey.booleanKey("cache.hit")))
        .isFalse();
    assertThat(s.get("retrieval kb").getAttributes().get(AttributeKey.stringKey("index")))
        .isEqualTo("v2");
    assertThat(s.get("approval refund").getAttributes().get(AttributeKey.longKey("amount")))
        .isEqualTo(20L);
  }

  @Test
  void theGuard_refusesACallWhoseEstimateWouldCrossTheBudget_andTheTraceSaysWhy() {
    // gpt-4o: a 1,000-token prompt with max_tokens 1,000 may cost $0.0025 + $0.01 = $0.0125.
    BudgetGuard guard = BudgetGuard.perChain(new BigDecimal("0.01"));
    try (AgentLedger ledger = ledger().budget(guard).build();
        AgentRun root = ledger.agent("planner").start();
        AgentRun worker = root.handoff("worker")) {
      assertThatThrownBy(() -> worker.modelCall("openai", "gpt-4o", 1_000, 1_000))
          .isInstanceOfSatisfying(
              BudgetExceededException.class,
              e -> {
                assertThat(e.overrun().spentUsd()).isZero();
                assertThat(e.overrun().callEstimateUsd()).isEqualByComparingTo("0.0125");
              });
      // A smaller call fits: 1,000 in + 500 out at most = $0.0075.
      try (ModelCall call = worker.modelCall("openai", "gpt-4o", 1_000, 500)) {
        call.usage(1_000, 400);
      }
    }
    Map<String, SpanData> s = byName();
    assertThat(s.get("chat gpt-4o").getAttributes().get(Keys.MAX_TOKENS)).isEqualTo(500L);
    for (String name : List.of("invoke_agent worker", "invoke_agent planner")) {
      SpanData run = s.get(name);
      assertThat(run.getStatus().getStatusCode()).as(name).isEqualTo(StatusCode.ERROR);
      assertThat(run.getStatus().getDescription()).startsWith("budget exceeded: chain ");
      EventData event =
          run.getEvents().stream()
              .filter(e -> e.getName().equals("agentledger.budget.exceeded"))
              .findFirst()
              .orElseThrow();
      assertThat(event.getAttributes().get(Keys.BUDGET_USD)).isEqualTo(0.01);
      assertThat(event.getAttributes().get(Keys.BUDGET_SPENT_USD)).isEqualTo(0.0);
      assertThat(event.getAttributes().get(Keys.BUDGET_CALL_ESTIMATE_USD)).isEqualTo(0.0125);
      assertThat(event.getAttributes().get(Keys.BUDGET_SCOPE)).isEqualTo("chain");
    }
  }

  @Test
  void aCallbackThatThrows_doesNotReachTheAgent() {
    BudgetGuard guard =
        BudgetGuard.perChain(new BigDecimal("0.000001"))
            .onExceeded(
                o -> {
                  throw new IllegalStateException("bad callback");
                })
            .callbackOnly();
    try (AgentLedger ledger = ledger().budget(guard).build();
        AgentRun run = ledger.agent("a").start()) {
      try (ModelCall call = run.modelCall("openai", "gpt-4o")) {
        call.usage(1_000, 1_000);
      }
      assertThatCode(() -> run.modelCall("openai", "gpt-4o").close()).doesNotThrowAnyException();
    }
  }

  @Test
  void conversationBudgets_expireWhenIdle_andAreBounded() {
    AtomicLong now = new AtomicLong();
    BudgetGuard guard =
        BudgetGuard.perChain(new BigDecimal("1"))
            .perSession(new BigDecimal("1"))
            .forgetAfter(Duration.ofHours(1))
            .maxTracked(3)
            .withNanoTime(now::get);
    try (AgentLedger ledger = ledger().budget(guard).build()) {
      for (int i = 0; i < 5; i++) {
        try (AgentRun run = ledger.agent("bot").conversation("s-" + i).start();
            ModelCall call = run.modelCall("openai", "gpt-4o")) {
          call.usage(1_000, 0);
        }
      }
      // Chains are forgotten when they end; only the three latest conversations are kept.
      assertThat(guard.tracked()).isEqualTo(3);
      assertThat(guard.spentOnSession("s-0")).isZero();
      assertThat(guard.spentOnSession("s-4")).isEqualByComparingTo("0.0025");
      now.addAndGet(Duration.ofHours(2).toNanos());
      assertThat(guard.tracked()).isZero();
    }
  }

  @Test
  void aLedgerWithoutATracerProvider_saysSo_andExplicitNoopIsQuiet() {
    try (AgentLedger ledger = AgentLedger.builder().build();
        AgentRun run = ledger.agent("a").start()) {
      assertThat(run.traceId()).isEqualTo("00000000000000000000000000000000");
    }
    // The warning itself is asserted in the log by ReadmeExampleTest's sibling: here, no throw.
  }
}
