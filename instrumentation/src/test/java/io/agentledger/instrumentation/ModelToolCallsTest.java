package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The tools a model chose, recorded the conventions' way on its model call. */
class ModelToolCallsTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();

  private AgentLedger ledger(boolean captureContent) {
    // Not closed: closing would shut the in-memory exporter down, which forgets its spans.
    return AgentLedger.builder()
        .tracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .captureContent(captureContent)
        .build();
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void toolCalls_becomeToolCallPartsOfTheOutputMessage_andFinishReasonToolCalls() {
    try (AgentRun run = ledger(true).agent("triage").version("2.0").start()) {
      try (ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
        call.usage(100, 20)
            .toolCall("call_1", "search_kb", "{\"query\": \"refund policy\"}")
            .toolCall("call_2", "lookup_order", "{\"order\":4711}");
      }
      try (ToolCall tool = run.tool("search_kb")) {
        tool.callId("call_1").arguments("{\"query\": \"refund policy\"}");
      }
    }
    SpanData chat = span("chat gpt-4o-mini");
    assertThat(chat.getAttributes().get(Keys.OUTPUT_MESSAGES))
        .isEqualTo(
            "[{\"role\":\"assistant\",\"parts\":["
                + "{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"search_kb\","
                + "\"arguments\":{\"query\":\"refund policy\"}},"
                + "{\"type\":\"tool_call\",\"id\":\"call_2\",\"name\":\"lookup_order\","
                + "\"arguments\":{\"order\":4711}}],"
                + "\"finish_reason\":\"tool_call\"}]");
    assertThat(chat.getAttributes().get(Keys.FINISH_REASONS)).containsExactly("tool_calls");
    assertThat(span("execute_tool search_kb").getAttributes().get(Keys.TOOL_CALL_ID))
        .isEqualTo("call_1");
    // Costs group by agent version: the calls carry their agent's.
    assertThat(chat.getAttributes().get(Keys.AGENT_VERSION)).isEqualTo("2.0");
    assertThat(span("execute_tool search_kb").getAttributes().get(Keys.AGENT_VERSION))
        .isEqualTo("2.0");
  }

  @Test
  void withoutContentCapture_theChoiceIsRecorded_butNotItsArguments() {
    try (AgentRun run = ledger(false).agent("triage").start();
        ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
      call.toolCall("call_1", "lookup_order", "{\"email\":\"someone@example.com\"}");
    }
    assertThat(span("chat gpt-4o-mini").getAttributes().get(Keys.OUTPUT_MESSAGES))
        .isEqualTo(
            "[{\"role\":\"assistant\",\"parts\":["
                + "{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"lookup_order\","
                + "\"arguments\":null}],\"finish_reason\":\"tool_call\"}]")
        .doesNotContain("someone@example.com");
  }

  @Test
  void explicitFinishReasonsAndMessagesWin_andArgumentsThatAreNotJsonStayText() {
    AgentLedger ledger = ledger(true);
    try (AgentRun run = ledger.agent("coder").start()) {
      try (ModelCall call = run.modelCall("anthropic", "claude-sonnet-4-5")) {
        call.toolCall("toolu_1", "run_tests", "not json {").finishReasons("tool_use");
      }
      try (ModelCall call = run.modelCall("anthropic", "claude-haiku-4-5")) {
        call.toolCall("toolu_2", "read_file", "{}").outputMessages("[{\"role\":\"assistant\"}]");
      }
    }
    SpanData first = span("chat claude-sonnet-4-5");
    assertThat(first.getAttributes().get(Keys.FINISH_REASONS)).containsExactly("tool_use");
    assertThat(first.getAttributes().get(Keys.OUTPUT_MESSAGES))
        .contains("\"arguments\":\"not json {\"");
    assertThat(span("chat claude-haiku-4-5").getAttributes().get(Keys.OUTPUT_MESSAGES))
        .isEqualTo("[{\"role\":\"assistant\"}]");
  }

  @Test
  void withoutToolCalls_nothingIsAddedToTheModelCall() {
    try (AgentRun run = ledger(true).agent("triage").start();
        ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
      call.usage(10, 5);
    }
    SpanData chat = span("chat gpt-4o-mini");
    assertThat(chat.getAttributes().get(Keys.OUTPUT_MESSAGES)).isNull();
    assertThat(chat.getAttributes().get(Keys.FINISH_REASONS)).isNull();
  }

  @Test
  void theLedgersClock_timesApprovalWaits() {
    long[] nanos = {0};
    Clock clock =
        new Clock() {
          @Override
          public long now() {
            return 1_700_000_000_000_000_000L + nanos[0];
          }

          @Override
          public long nanoTime() {
            return nanos[0];
          }
        };
    AgentLedger ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .setClock(clock)
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .clock(clock)
            .build();
    try (AgentRun run = ledger.agent("refunds").start();
        Approval approval = run.requestApproval("issue_refund")) {
      nanos[0] += TimeUnit.SECONDS.toNanos(42);
      approval.approve("supervisor@example.com");
    }
    SpanData span = span("approval issue_refund");
    assertThat(span.getAttributes().get(Keys.APPROVAL_WAIT_MS)).isEqualTo(42_000L);
    assertThat(span.getEndEpochNanos() - span.getStartEpochNanos())
        .isEqualTo(TimeUnit.SECONDS.toNanos(42));
    assertThat(span.getStartEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
  }
}
