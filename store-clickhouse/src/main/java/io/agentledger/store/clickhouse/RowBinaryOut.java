package io.agentledger.store.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes values in ClickHouse's {@code RowBinary} format (little-endian fixed-width numbers,
 * LEB128-prefixed strings and collections) through a buffer of its own: the stream the client hands
 * an insert is written in large blocks, not a call per byte.
 */
final class RowBinaryOut {

  private static final int BUFFER = 1 << 16;

  private final OutputStream out;
  private final byte[] buf = new byte[BUFFER];
  private int pos;

  RowBinaryOut(OutputStream out) {
    this.out = out;
  }

  void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
    out.flush();
  }

  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  void uint8(int v) throws IOException {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  void bool(boolean v) throws IOException {
    uint8(v ? 1 : 0);
  }

  /** Int64, UInt64 (the same bits), DateTime64 ticks. */
  void int64(long v) throws IOException {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  void varint(long v) throws IOException {
    ensure(10);
    long rest = v;
    while ((rest & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    buf[pos++] = (byte) rest;
  }

  /** String (also LowCardinality(String)); null is written as the column default, empty. */
  void string(@Nullable String s) throws IOException {
    if (s == null || s.isEmpty()) {
      uint8(0);
      return;
    }
    if (isAscii(s)) { // the common case: ids, names, models; no encoder, no copy
      int n = s.length();
      varint(n);
      if (n > buf.length) {
        flushBuffer();
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        return;
      }
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[pos++] = (byte) s.charAt(i);
      }
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    varint(bytes.length);
    if (bytes.length > buf.length) {
      flushBuffer();
      out.write(bytes);
      return;
    }
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  /** LowCardinality(Nullable(String)) and Nullable(String): a null flag, then the value. */
  void nullableString(@Nullable String s) throws IOException {
    if (s == null) {
      uint8(1);
    } else {
      uint8(0);
      string(s);
    }
  }

  /** Nullable(Decimal(38, scale)): a null flag, then the unscaled value as a 128-bit integer. */
  void nullableDecimal128(@Nullable BigDecimal v, int scale) throws IOException {
    if (v == null) {
      uint8(1);
      return;
    }
    uint8(0);
    BigInteger unscaled = v.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
    if (unscaled.bitLength() < 64) {
      long low = unscaled.longValue();
      int64(low);
      int64(low < 0 ? -1L : 0L);
    } else {
      byte[] be = unscaled.toByteArray(); // big-endian two's complement, at most 16 bytes here
      ensure(16);
      byte sign = (byte) (unscaled.signum() < 0 ? -1 : 0);
      for (int i = 0; i < 16; i++) {
        int j = be.length - 1 - i;
        buf[pos++] = j >= 0 ? be[j] : sign;
      }
    }
  }

  /** Map(String, String), in the map's order. */
  void stringMap(Map<String, String> map) throws IOException {
    varint(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      string(e.getKey());
      string(e.getValue());
    }
  }

  void stringArray(List<String> items) throws IOException {
    varint(items.size());
    for (String s : items) {
      string(s);
    }
  }

  private void flushBuffer() throws IOException {
    out.write(buf, 0, pos);
    pos = 0;
  }

  private static boolean isAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
