package io.agentledger.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanRowBinaryTest {

  @Test
  void writesTheColumnsOfTheInsert_inItsOrder() {
    String list =
        SpanRows.INSERT.substring(
            SpanRows.INSERT.indexOf('(') + 1, SpanRows.INSERT.indexOf(") VALUES"));
    assertThat(SpanRowBinary.NAMES).containsExactly(list.split(", "));
  }

  @Test
  void encodesRowBinary_littleEndianNumbers_leb128Lengths_utf8Strings() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RowBinaryOut out = new RowBinaryOut(bytes);
    out.int64(0x0102030405060708L);
    out.varint(300);
    out.string("é");
    out.string(null);
    out.nullableString(null);
    out.nullableString("a");
    Map<String, String> map = new LinkedHashMap<>();
    map.put("k", "v");
    out.stringMap(map);
    out.stringArray(List.of("x", "yz"));
    out.bool(true);
    out.flush();

    assertThat(bytes.toByteArray())
        .containsExactly(
            8,
            7,
            6,
            5,
            4,
            3,
            2,
            1, // Int64
            (byte) 0xAC,
            0x02, // 300 as LEB128
            2,
            (byte) 0xC3,
            (byte) 0xA9, // "é" in UTF-8
            0, // null written as ''
            1, // Nullable: null
            0,
            1,
            'a', // Nullable: "a"
            1,
            1,
            'k',
            1,
            'v', // Map
            2,
            1,
            'x',
            2,
            'y',
            'z', // Array
            1); // Bool
  }

  @Test
  void encodesDecimal128_exactlyAtItsScale_bothSigns_andBeyond64Bits() throws IOException {
    assertThat(decimal(new BigDecimal("0.019795"))).isEqualTo(le128("19795000000"));
    assertThat(decimal(new BigDecimal("-1.5"))).isEqualTo(le128("-1500000000000"));
    assertThat(decimal(new BigDecimal("999999999.123456789012")))
        .isEqualTo(le128("999999999123456789012"));
  }

  @Test
  void longStrings_largerThanTheBuffer_goThroughWhole() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RowBinaryOut out = new RowBinaryOut(bytes);
    String ascii = "a".repeat(100_000);
    String unicode = "é".repeat(50_000);
    out.string(ascii);
    out.string(unicode);
    out.flush();
    byte[] b = bytes.toByteArray();
    assertThat(b).hasSize(3 + 100_000 + 3 + 100_000);
    assertThat(new String(b, 3, 100_000, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo(ascii);
    assertThat(new String(b, 3 + 100_000 + 3, 100_000, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(unicode);
  }

  private static byte[] decimal(BigDecimal v) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RowBinaryOut out = new RowBinaryOut(bytes);
    out.nullableDecimal128(v, 12);
    out.flush();
    return bytes.toByteArray();
  }

  /** The null flag 0 then the 16-byte little-endian two's complement of the unscaled value. */
  private static byte[] le128(String unscaled) {
    byte[] be = new java.math.BigInteger(unscaled).toByteArray();
    byte[] out = new byte[17];
    Arrays.fill(out, 1, 17, (byte) (unscaled.startsWith("-") ? -1 : 0));
    for (int i = 0; i < be.length; i++) {
      out[1 + i] = be[be.length - 1 - i];
    }
    return out;
  }
}
