package io.agentledger.bench.jmh;

import io.agentledger.instrumentation.AgentLedger;
import io.agentledger.instrumentation.AgentRun;
import io.agentledger.instrumentation.BudgetGuard;
import io.agentledger.instrumentation.ModelCall;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A model call recorded with the library against the same span (same name, kind and attributes)
 * made with the plain OpenTelemetry SDK, in one run; both export to the same discarding exporter,
 * synchronously, so the agent thread pays for everything it would pay for.
 *
 * <p>{@link #agentLedgerAllFeatures} turns on what issue 18 added: a budget guard per chain and per
 * conversation with the pre-call estimate (prompt tokens and {@code maxTokens}), an own attribute
 * on the call, and the call's cost read back from the call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InstrumentationOverheadBenchmark {

  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey("gen_ai.provider.name");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<String> AGENT = AttributeKey.stringKey("gen_ai.agent.name");
  private static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<Long> CACHE_READ =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  private static final AttributeKey<String> VERSION =
      AttributeKey.stringKey("gen_ai.agent.version");
  private static final AttributeKey<String> CONVERSATION =
      AttributeKey.stringKey("gen_ai.conversation.id");
  private static final AttributeKey<Long> MAX_TOKENS =
      AttributeKey.longKey("gen_ai.request.max_tokens");
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey("app.tenant");
  private static final AttributeKey<List<String>> FINISH =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");

  SdkTracerProvider plainProvider;
  Tracer plain;
  Context plainParent;
  Span plainAgent;
  AgentLedger ledger;
  AgentRun run;
  AgentLedger guardedLedger;
  AgentRun guardedRun;

  @Setup
  public void setUp() {
    plainProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new Discard()))
            .build();
    plain = plainProvider.get("plain");
    plainAgent = plain.spanBuilder("invoke_agent bench").startSpan();
    plainParent = Context.root().with(plainAgent);
    ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new Discard()))
                    .build())
            .build();
    run = ledger.agent("bench").start();
    guardedLedger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new Discard()))
                    .build())
            .budget(
                BudgetGuard.perChain(new BigDecimal("1000000000"))
                    .perSession(new BigDecimal("1000000000")))
            .build();
    guardedRun = guardedLedger.agent("bench").version("1.2.0").conversation("c-1").start();
  }

  @TearDown
  public void tearDown() {
    plainAgent.end();
    plainProvider.close();
    run.close();
    ledger.close();
    guardedRun.close();
    guardedLedger.close();
  }

  @Benchmark
  public Span plainOtelSdk() {
    Span span =
        plain
            .spanBuilder("chat gpt-4o-mini")
            .setParent(plainParent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, "chat")
            .setAttribute(PROVIDER, "openai")
            .setAttribute(MODEL, "gpt-4o-mini")
            .setAttribute(AGENT, "bench")
            .startSpan();
    span.setAttribute(INPUT, 1_000L);
    span.setAttribute(OUTPUT, 100L);
    span.setAttribute(CACHE_READ, 200L);
    span.setAttribute(FINISH, List.of("stop"));
    span.end();
    return span;
  }

  /**
   * The span {@link #agentLedgerAllFeatures} records, with the plain SDK: its three more attributes
   * (agent version, conversation, {@code max_tokens}) and the own one are the span's, not the
   * library's, cost.
   */
  @Benchmark
  public Span plainOtelSdkSameAttributes() {
    Span span =
        plain
            .spanBuilder("chat gpt-4o-mini")
            .setParent(plainParent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, "chat")
            .setAttribute(PROVIDER, "openai")
            .setAttribute(MODEL, "gpt-4o-mini")
            .setAttribute(AGENT, "bench")
            .setAttribute(VERSION, "1.2.0")
            .setAttribute(CONVERSATION, "c-1")
            .setAttribute(MAX_TOKENS, 500L)
            .startSpan();
    span.setAttribute(INPUT, 1_000L);
    span.setAttribute(OUTPUT, 100L);
    span.setAttribute(CACHE_READ, 200L);
    span.setAttribute(FINISH, List.of("stop"));
    span.setAttribute(TENANT, "acme");
    span.end();
    return span;
  }

  @Benchmark
  public ModelCall agentLedgerInstrumentation() {
    ModelCall call = run.modelCall("openai", "gpt-4o-mini");
    call.usage(1_000, 100).cacheRead(200).finishReasons("stop");
    call.close();
    return call;
  }

  @Benchmark
  public @Nullable BigDecimal agentLedgerAllFeatures() {
    ModelCall call = guardedRun.modelCall("openai", "gpt-4o-mini", 1_000, 500);
    call.usage(1_000, 100).cacheRead(200).finishReasons("stop").attribute("app.tenant", "acme");
    call.close();
    return call.costUsd().orElse(null);
  }

  /** Accepts and forgets: the exporter's cost is not what is measured. */
  static final class Discard implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
