package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link OtlpSpanEncoder} builds the request OpenTelemetry's own OTLP exporter sends. */
class OtlpSpanEncoderTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void theRequest_isTheOneTheOtlpExporterSends() throws Exception {
    List<SpanData> spans = spans();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            bodies.add(in.readAllBytes());
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      OtlpHttpSpanExporter otlp =
          OtlpHttpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces")
              .build();
      assertThat(otlp.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      otlp.shutdown().join(10, TimeUnit.SECONDS);
    } finally {
      server.stop(0);
    }

    assertThat(bodies).hasSize(1);
    ExportTraceServiceRequest expected = ExportTraceServiceRequest.parseFrom(bodies.get(0));
    ExportTraceServiceRequest ours = OtlpSpanEncoder.request(spans);
    assertThat(expected.getResourceSpansCount()).isEqualTo(2);
    // The same spans under the same resources and scopes (the exporter's group order is a hash's).
    assertThat(grouped(ours)).isEqualTo(grouped(expected));
  }

  /** Resource and schema URL, then scope and schema URL, to the spans under them. */
  private static Map<List<Object>, List<Span>> grouped(ExportTraceServiceRequest request) {
    Map<List<Object>, List<Span>> grouped = new HashMap<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        List<Object> key =
            List.of(rs.getResource(), rs.getSchemaUrl(), ss.getScope(), ss.getSchemaUrl());
        assertThat(grouped.put(key, ss.getSpansList())).as("one group per scope").isNull();
      }
    }
    return grouped;
  }

  private static List<SpanData> spans() {
    Resource crew =
        Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "crew"),
            "https://opentelemetry.io/schemas/1.24.0");
    Resource other = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "x"));
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder("io.agentledger.instrumentation")
            .setVersion("0.1.0")
            .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
            .setAttributes(Attributes.of(AttributeKey.booleanKey("scoped"), true))
            .build();
    TraceState state = TraceState.builder().put("vendor", "a1").put("other", "b2").build();
    SpanContext remoteParent =
        SpanContext.createFromRemoteParent(
            TRACE, "b7ad6b7169203331", TraceFlags.getSampled(), state);
    Attributes attributes =
        Attributes.builder()
            .put("gen_ai.request.model", "gpt-4o-mini")
            .put("gen_ai.usage.input_tokens", 1200L)
            .put("temperature", 0.2)
            .put("stream", false)
            .put(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
            .put(AttributeKey.longArrayKey("ids"), List.of(1L, 2L))
            .put(AttributeKey.doubleArrayKey("scores"), List.of(0.5, 1.5))
            .put(AttributeKey.booleanArrayKey("flags"), List.of(true, false))
            .put(
                AttributeKey.valueKey("payload"),
                Value.of(
                    Map.of(
                        "bytes",
                        Value.of(new byte[] {1, 2, 3}),
                        "list",
                        Value.of(Value.of("a"), Value.of(7L)))))
            .build();
    SpanData model =
        TestSpanData.builder()
            .setResource(crew)
            .setInstrumentationScopeInfo(scope)
            .setSpanContext(
                SpanContext.create(TRACE, "00f067aa0ba902b7", TraceFlags.getSampled(), state))
            .setParentSpanContext(remoteParent)
            .setName("chat gpt-4o-mini")
            .setKind(SpanKind.CLIENT)
            .setStartEpochNanos(1_700_000_000_000_000_000L)
            .setEndEpochNanos(1_700_000_001_000_000_000L)
            .setAttributes(attributes)
            .setTotalAttributeCount(attributes.size() + 2)
            .setEvents(
                List.of(
                    EventData.create(
                        1_700_000_000_500_000_000L,
                        "decision",
                        Attributes.of(AttributeKey.stringKey("choice"), "tool"),
                        3)))
            .setTotalRecordedEvents(4)
            .setLinks(
                List.of(
                    LinkData.create(
                        SpanContext.createFromRemoteParent(
                            "4bf92f3577b34da6a3ce929d0e0e4736",
                            "00f067aa0ba902b8",
                            TraceFlags.getDefault(),
                            TraceState.getDefault()),
                        Attributes.of(AttributeKey.stringKey("why"), "retry"),
                        2)))
            .setTotalRecordedLinks(1)
            .setStatus(StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, "boom"))
            .setHasEnded(true)
            .build();
    SpanData root =
        TestSpanData.builder()
            .setResource(crew)
            .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("plain"))
            .setSpanContext(
                SpanContext.create(
                    TRACE, "00f067aa0ba902b9", TraceFlags.getSampled(), TraceState.getDefault()))
            .setName("invoke_agent")
            .setKind(SpanKind.INTERNAL)
            .setStartEpochNanos(1_700_000_000_000_000_000L)
            .setEndEpochNanos(1_700_000_002_000_000_000L)
            .setStatus(StatusData.ok())
            .setHasEnded(true)
            .build();
    SpanData elsewhere =
        TestSpanData.builder()
            .setResource(other)
            .setInstrumentationScopeInfo(scope)
            .setSpanContext(
                SpanContext.create(
                    TRACE, "00f067aa0ba902ba", TraceFlags.getSampled(), TraceState.getDefault()))
            .setName("tool")
            .setKind(SpanKind.SERVER)
            .setStartEpochNanos(1L)
            .setEndEpochNanos(2L)
            .setStatus(StatusData.unset())
            .setHasEnded(true)
            .build();
    return List.of(model, root, elsewhere);
  }
}
