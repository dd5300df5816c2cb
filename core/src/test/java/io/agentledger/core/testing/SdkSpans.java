package io.agentledger.core.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spans made by the real OpenTelemetry Java SDK, and the exact OTLP bytes its exporters would send
 * (protobuf and JSON, through the SDK's own marshaler).
 */
public final class SdkSpans {

  private SdkSpans() {}

  /**
   * Records {@code chains} chains through {@code tracer}, each an agent "worker" with 9 gpt-4o-mini
   * calls (1,000 input and 100 output tokens: $0.00021 each, $0.00189 a chain) and 10 tool calls:
   * 20 spans a chain. Returns the trace ids.
   */
  public static List<String> workerChains(Tracer tracer, int chains) {
    List<String> traceIds = new java.util.ArrayList<>();
    for (int c = 0; c < chains; c++) {
      Span agent =
          tracer
              .spanBuilder("invoke_agent worker")
              .setAttribute("gen_ai.operation.name", "invoke_agent")
              .setAttribute("gen_ai.agent.name", "worker")
              .startSpan();
      traceIds.add(agent.getSpanContext().getTraceId());
      try (Scope ignored = agent.makeCurrent()) {
        for (int i = 0; i < 9; i++) {
          tracer
              .spanBuilder("chat gpt-4o-mini")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.operation.name", "chat")
              .setAttribute("gen_ai.provider.name", "openai")
              .setAttribute("gen_ai.request.model", "gpt-4o-mini")
              .setAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), 1000L)
              .setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 100L)
              .startSpan()
              .end();
        }
        for (int i = 0; i < 10; i++) {
          tracer
              .spanBuilder("execute_tool search")
              .setAttribute("gen_ai.operation.name", "execute_tool")
              .setAttribute("gen_ai.tool.name", "search")
              .startSpan()
              .end();
        }
      } finally {
        agent.end();
      }
    }
    return traceIds;
  }

  /** A small agent chain: invoke_agent → chat (with usage) + execute_tool, with an error status. */
  public static List<SpanData> agentChain() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder()
                    .put("service.name", "support-bot")
                    .put("service.version", "1.4.2")
                    .build())
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      Tracer tracer = provider.get("io.agentledger.test", "1.0");
      long t0 = TimeUnit.MILLISECONDS.toNanos(1_763_900_000_000L);
      Span agent =
          tracer
              .spanBuilder("invoke_agent triage")
              .setStartTimestamp(t0, TimeUnit.NANOSECONDS)
              .setAttribute("gen_ai.operation.name", "invoke_agent")
              .setAttribute("gen_ai.agent.name", "triage")
              .setAttribute("gen_ai.conversation.id", "conv-7")
              .setAttribute("user.id", "user-9")
              .setAttribute("gen_ai.usage.input_tokens", 1500L)
              .setAttribute("gen_ai.usage.output_tokens", 320L)
              .startSpan();
      try (Scope ignored = agent.makeCurrent()) {
        Span chat =
            tracer
                .spanBuilder("chat gpt-4o")
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(t0 + 1_000_000, TimeUnit.NANOSECONDS)
                .setAllAttributes(
                    Attributes.builder()
                        .put("gen_ai.operation.name", "chat")
                        .put("gen_ai.provider.name", "openai")
                        .put("gen_ai.request.model", "gpt-4o")
                        .put("gen_ai.response.model", "gpt-4o-2024-08-06")
                        .put("gen_ai.usage.input_tokens", 1500L)
                        .put("gen_ai.usage.output_tokens", 320L)
                        .put("gen_ai.usage.cache_read.input_tokens", 1024L)
                        .put(
                            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"),
                            List.of("tool_call"))
                        .put("gen_ai.request.temperature", 0.25)
                        .put("gen_ai.request.stream", false)
                        .put("unicode.text", "naïve café – 東京 🚀")
                        .build())
                .startSpan();
        chat.end(t0 + 900_000_000, TimeUnit.NANOSECONDS);
        Span tool =
            tracer
                .spanBuilder("execute_tool lookup_order")
                .setStartTimestamp(t0 + 901_000_000, TimeUnit.NANOSECONDS)
                .setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", "lookup_order")
                .setAttribute("gen_ai.tool.call.id", "call_abc123")
                .startSpan();
        tool.addEvent(
            "retry",
            Attributes.of(AttributeKey.longKey("attempt"), 2L),
            t0 + 950_000_000,
            TimeUnit.NANOSECONDS);
        tool.setStatus(StatusCode.ERROR, "order service timed out");
        tool.setAttribute("error.type", "timeout");
        tool.end(t0 + 1_200_000_000, TimeUnit.NANOSECONDS);
      } finally {
        agent.end(t0 + 1_500_000_000, TimeUnit.NANOSECONDS);
      }
      // Read before close: shutting the provider down also resets the in-memory exporter.
      return exporter.getFinishedSpanItems();
    }
  }

  /** The OTLP/protobuf body the SDK's OTLP exporters send for these spans. */
  public static byte[] protobuf(Collection<SpanData> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The OTLP/JSON body the SDK's OTLP/HTTP JSON exporter sends for these spans. */
  public static byte[] json(Collection<SpanData> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      TraceRequestMarshaler.create(spans).writeJsonTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
