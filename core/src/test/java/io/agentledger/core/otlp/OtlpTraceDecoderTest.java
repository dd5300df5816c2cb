package io.agentledger.core.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.testing.SdkSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OtlpTraceDecoderTest {

  @ParameterizedTest
  @EnumSource(OtlpFormat.class)
  void sdkSpans_decodeToTheSameIdsTimesAndAttributes(OtlpFormat format) {
    List<SpanData> sdk = SdkSpans.agentChain();
    assertThat(sdk).hasSize(3);
    byte[] body = format == OtlpFormat.PROTOBUF ? SdkSpans.protobuf(sdk) : SdkSpans.json(sdk);

    ExportTraceServiceRequest request = OtlpTraceDecoder.decode(body, format);

    List<Span> decoded =
        request.getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .toList();
    assertThat(decoded).hasSameSizeAs(sdk);
    Map<String, Span> byId =
        decoded.stream()
            .collect(Collectors.toMap(s -> HexIds.toHex(s.getSpanId()), Function.identity()));
    for (SpanData expected : sdk) {
      Span actual = byId.get(expected.getSpanId());
      assertThat(actual).as(expected.getName()).isNotNull();
      assertThat(HexIds.toHex(actual.getTraceId())).isEqualTo(expected.getTraceId());
      String parent = HexIds.toHex(actual.getParentSpanId());
      assertThat(parent.isEmpty() ? "0000000000000000" : parent)
          .isEqualTo(expected.getParentSpanId());
      assertThat(actual.getStartTimeUnixNano()).isEqualTo(expected.getStartEpochNanos());
      assertThat(actual.getEndTimeUnixNano()).isEqualTo(expected.getEndEpochNanos());
      assertThat(actual.getName()).isEqualTo(expected.getName());
      assertThat(actual.getKindValue()).isEqualTo(expected.getKind().ordinal() + 1);
      assertThat(actual.getStatus().getCodeValue())
          .isEqualTo(
              switch (expected.getStatus().getStatusCode()) {
                case UNSET -> 0;
                case OK -> 1;
                case ERROR -> 2;
              });
      assertThat(actual.getStatus().getMessage()).isEqualTo(expected.getStatus().getDescription());
      assertThat(attributes(actual.getAttributesList())).isEqualTo(expectedAttributes(expected));
      assertThat(actual.getEventsCount()).isEqualTo(expected.getEvents().size());
    }
    Span chat =
        byId.get(
            sdk.stream().filter(s -> s.getName().startsWith("chat")).findFirst().get().getSpanId());
    assertThat(chat.getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("gen_ai.usage.input_tokens");
              assertThat(kv.getValue().getIntValue()).isEqualTo(1500L);
            });
  }

  private static Map<String, Object> attributes(List<KeyValue> kvs) {
    return kvs.stream()
        .collect(
            Collectors.toMap(
                KeyValue::getKey,
                kv ->
                    switch (kv.getValue().getValueCase()) {
                      case STRING_VALUE -> kv.getValue().getStringValue();
                      case INT_VALUE -> kv.getValue().getIntValue();
                      case DOUBLE_VALUE -> kv.getValue().getDoubleValue();
                      case BOOL_VALUE -> kv.getValue().getBoolValue();
                      case ARRAY_VALUE ->
                          kv.getValue().getArrayValue().getValuesList().stream()
                              .map(v -> v.getStringValue())
                              .toList();
                      default -> "?";
                    }));
  }

  private static Map<String, Object> expectedAttributes(SpanData span) {
    return span.getAttributes().asMap().entrySet().stream()
        .collect(
            Collectors.toMap(e -> ((AttributeKey<?>) e.getKey()).getKey(), Map.Entry::getValue));
  }

  @Test
  void json_acceptsUpperCaseHexStringOrNumberInt64EnumNamesAndSnakeCase() {
    String json =
        """
        {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
          "scope_spans":[{"scope":{"name":"s"},"spans":[
            {"trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"EEE19B7EC3C1B174",
             "parent_span_id":"","name":"a","kind":"SPAN_KIND_CLIENT",
             "start_time_unix_nano":1700000000000000000,"end_time_unix_nano":"1700000000500000000",
             "status":{"code":"STATUS_CODE_ERROR","message":"boom"},
             "attributes":[{"key":"n","value":{"int_value":"42"}},{"key":"d","value":{"doubleValue":"NaN"}}],
             "someFutureField":{"x":1}}
          ]}]}]}
        """;

    ExportTraceServiceRequest request =
        OtlpTraceDecoder.decodeJson(json.getBytes(StandardCharsets.UTF_8));

    Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HexIds.toHex(span.getTraceId())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HexIds.toHex(span.getSpanId())).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    assertThat(span.getKindValue()).isEqualTo(3);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1_700_000_000_500_000_000L);
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(42);
    assertThat(span.getAttributes(1).getValue().getDoubleValue()).isNaN();
  }

  @Test
  void json_base64Ids_areRejectedNamingTheField() {
    // What protobuf's JsonFormat would accept, silently producing wrong ids.
    String json =
        """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"a"}]}]}]}
        """;

    assertThatThrownBy(() -> OtlpTraceDecoder.decodeJson(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId")
        .hasMessageContaining("hex");
  }

  @Test
  void json_typeErrors_nameThePath() {
    assertThatThrownBy(
            () ->
                OtlpTraceDecoder.decodeJson(
                    "{\"resourceSpans\":{}}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessageContaining("resourceSpans")
        .hasMessageContaining("expected an array");
    assertThatThrownBy(
            () ->
                OtlpTraceDecoder.decodeJson(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("spans[0].startTimeUnixNano")
        .hasMessageContaining("expected an integer");
    assertThatThrownBy(
            () ->
                OtlpTraceDecoder.decodeJson(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SIDEWAYS\"}]}]}]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("spans[0].kind");
  }

  @Test
  void json_malformedSyntax_isATypedError() {
    assertThatThrownBy(
            () ->
                OtlpTraceDecoder.decodeJson(
                    "{\"resourceSpans\":[".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessageStartingWith("invalid OTLP/JSON");
    assertThatThrownBy(() -> OtlpTraceDecoder.decodeJson("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessageContaining("expected an object");
  }

  @Test
  void protobuf_truncated_isATypedError() {
    byte[] body = SdkSpans.protobuf(SdkSpans.agentChain());
    byte[] truncated = Arrays.copyOf(body, body.length / 2);

    assertThatThrownBy(() -> OtlpTraceDecoder.decodeProtobuf(truncated))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessageStartingWith("invalid OTLP protobuf");
  }

  @Test
  void emptyBodies_areEmptyRequests() {
    assertThat(OtlpTraceDecoder.decodeProtobuf(new byte[0]).getResourceSpansCount()).isZero();
    assertThat(OtlpTraceDecoder.decodeJson(new byte[0]).getResourceSpansCount()).isZero();
    assertThat(
            OtlpTraceDecoder.decodeJson("{}".getBytes(StandardCharsets.UTF_8))
                .getResourceSpansCount())
        .isZero();
  }

  @Test
  void contentType_ignoresParametersAndCase() {
    assertThat(OtlpFormat.fromContentType("application/JSON; charset=utf-8"))
        .contains(OtlpFormat.JSON);
    assertThat(OtlpFormat.fromContentType("application/x-protobuf")).contains(OtlpFormat.PROTOBUF);
    assertThat(OtlpFormat.fromContentType("text/plain")).isEmpty();
    assertThat(OtlpFormat.fromContentType(null)).isEmpty();
  }
}
