package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Agents started on other threads still nest under the agent that started them. */
class ContextPropagationTest {

  @Test
  void executorsAndCompletableFutures_carryTheCurrentAgent() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    ExecutorService pool = Context.taskWrapping(Executors.newFixedThreadPool(2));
    // Not closed: closing would shut the in-memory exporter down, which forgets its spans.
    AgentLedger ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    try (AgentRun boss = ledger.agent("boss").conversation("s-7").start()) {
      try (Scope ignored = boss.makeCurrent()) {
        pool.submit(() -> ledger.agent("worker-a").start().close()).get();
        CompletableFuture.runAsync(() -> ledger.agent("worker-b").start().close(), pool).get();
      }
      // Without the scope, a run's own context carries it explicitly.
      CompletableFuture.runAsync(
              boss.context().wrap(() -> ledger.agent("worker-c").start().close()),
              Executors.newSingleThreadExecutor())
          .get();
      // A model call from another thread is still the agent's.
      CompletableFuture.runAsync(() -> boss.modelCall("openai", "gpt-4o-mini").usage(1, 1).close())
          .get();
    } finally {
      pool.shutdown();
    }
    Map<String, SpanData> byName =
        spans.getFinishedSpanItems().stream().collect(Collectors.toMap(SpanData::getName, s -> s));
    String bossId = byName.get("invoke_agent boss").getSpanId();
    for (String child :
        List.of(
            "invoke_agent worker-a",
            "invoke_agent worker-b",
            "invoke_agent worker-c",
            "chat gpt-4o-mini")) {
      assertThat(byName.get(child).getParentSpanId()).as(child).isEqualTo(bossId);
      assertThat(byName.get(child).getTraceId())
          .isEqualTo(byName.get("invoke_agent boss").getTraceId());
    }
    // The conversation is inherited by the hand-offs.
    assertThat(byName.get("invoke_agent worker-a").getAttributes().get(Keys.CONVERSATION_ID))
        .isEqualTo("s-7");
  }
}
