package io.agentledger.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanLink;
import io.agentledger.store.StoreException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanDetailTest {

  @Test
  void whatIsEncodedDecodesToEqualValues() {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("gen_ai.request.model", "gpt-4o");
    attributes.put("prompt", "Grüße, 世界 🌍 " + "x".repeat(300)); // non-ASCII, > 127 bytes
    attributes.put("", "");
    attributes.put("control\u001Fchars\u001B", "\u001B\u001F\u001B\u001Bend\u001F"); // escaped
    List<SpanEvent> events =
        List.of(
            new SpanEvent(-5L, "exception", Map.of("exception.type", "IOError")),
            new SpanEvent(Long.MAX_VALUE, "é", Map.of()));
    List<SpanLink> links = List.of(new SpanLink("a".repeat(32), "b".repeat(16), Map.of("k", "v")));
    SpanDetail encoder = new SpanDetail();

    String text = encoder.encode(attributes, List.of("stop", "length"), events, links);
    String empty = encoder.encode(Map.of(), List.of(), List.of(), List.of());

    assertThat(SpanDetail.decode(text))
        .isEqualTo(new SpanDetail.Decoded(attributes, List.of("stop", "length"), events, links));
    assertThat(SpanDetail.decode(empty))
        .isEqualTo(new SpanDetail.Decoded(Map.of(), List.of(), List.of(), List.of()));
    assertThat(empty).hasSizeLessThan(12); // inlined by DuckDB: no string heap
  }

  @Test
  void aMapAloneRoundTrips_andTheEncoderBufferGrows() {
    Map<String, String> big = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      big.put("key." + i, "value " + i);
    }
    SpanDetail encoder = new SpanDetail();

    assertThat(SpanDetail.decodeMap(encoder.encodeMap(big))).isEqualTo(big);
    assertThat(SpanDetail.decodeMap(encoder.encodeMap(Map.of("a", "b"))))
        .isEqualTo(Map.of("a", "b"));
  }

  @Test
  void aTruncatedOrForeignValueIsAStoreFailure() {
    String text = new SpanDetail().encode(Map.of("key", "value"), List.of(), List.of(), List.of());

    assertThatThrownBy(() -> SpanDetail.decode(text.substring(0, text.length() - 8)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> SpanDetail.decode("{}"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("unknown format");
  }
}
