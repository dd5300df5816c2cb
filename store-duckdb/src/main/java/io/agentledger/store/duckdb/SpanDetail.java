package io.agentledger.store.duckdb;

import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanLink;
import io.agentledger.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary encoding of what no query filters or groups by: a span's attributes, finish
 * reasons, events and links in one {@code BLOB} ({@code spans.detail}), and a resource's attributes
 * ({@code span_resources.attributes}). Writing JSON through Jackson for every span cost more than
 * DuckDB's whole append; this writes length-prefixed UTF-8 into one reused buffer.
 *
 * <p>Layout: a format byte ({@value #FORMAT}), then the attribute map, the finish reasons, the
 * events (time, name, map) and the links (trace id, span id, map). A map or list is a varint count
 * followed by its items; a string is a varint byte length and its UTF-8 bytes; a time is 8 bytes.
 */
final class SpanDetail {

  static final byte FORMAT = 1;

  /** A span's detail, decoded. */
  record Decoded(
      Map<String, String> attributes,
      List<String> finishReasons,
      List<SpanEvent> events,
      List<SpanLink> links) {}

  private byte[] buf = new byte[4096];
  private int pos;

  /** The detail of one span, as a new array (the encoder's buffer is reused). */
  byte[] encode(
      Map<String, String> attributes,
      List<String> finishReasons,
      List<SpanEvent> events,
      List<SpanLink> links) {
    pos = 0;
    ensure(1);
    buf[pos++] = FORMAT;
    writeMap(attributes);
    writeVarint(finishReasons.size());
    for (String r : finishReasons) {
      writeString(r);
    }
    writeVarint(events.size());
    for (SpanEvent e : events) {
      ensure(8);
      long t = e.epochNanos();
      for (int i = 0; i < 8; i++) {
        buf[pos++] = (byte) (t >>> (8 * i));
      }
      writeString(e.name());
      writeMap(e.attributes());
    }
    writeVarint(links.size());
    for (SpanLink l : links) {
      writeString(l.traceId());
      writeString(l.spanId());
      writeMap(l.attributes());
    }
    return Arrays.copyOf(buf, pos);
  }

  /** A map alone (a resource's attributes), as a new array. */
  byte[] encodeMap(Map<String, String> map) {
    pos = 0;
    ensure(1);
    buf[pos++] = FORMAT;
    writeMap(map);
    return Arrays.copyOf(buf, pos);
  }

  static Decoded decode(byte[] bytes) {
    Reader r = new Reader(bytes);
    Map<String, String> attributes = r.map();
    int n = r.count();
    List<String> reasons = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reasons.add(r.string());
    }
    n = r.count();
    List<SpanEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long t = r.fixed64();
      events.add(new SpanEvent(t, r.string(), r.map()));
    }
    n = r.count();
    List<SpanLink> links = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      links.add(new SpanLink(r.string(), r.string(), r.map()));
    }
    return new Decoded(attributes, reasons, events, links);
  }

  static Map<String, String> decodeMap(byte[] bytes) {
    return new Reader(bytes).map();
  }

  private void writeMap(Map<String, String> map) {
    writeVarint(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(e.getKey());
      writeString(e.getValue());
    }
  }

  private void writeString(String s) {
    int n = s.length();
    ensure(5 + n);
    // ASCII (nearly every key and value): one byte a char, written straight into the buffer.
    int lengthAt = pos;
    if (n < 128) {
      pos++;
      int i = 0;
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          break;
        }
        buf[pos++] = (byte) c;
      }
      if (i == n) {
        buf[lengthAt] = (byte) n;
        return;
      }
      pos = lengthAt;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, buf, pos, utf8.length);
    pos += utf8.length;
  }

  private void writeVarint(int v) {
    ensure(5);
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  /** Reads what the encoder wrote; a malformed value is a store failure, not a crash. */
  private static final class Reader {
    private final byte[] b;
    private int p;

    Reader(byte[] bytes) {
      this.b = bytes;
      if (b.length == 0 || b[0] != FORMAT) {
        throw new StoreException(
            "stored span detail has an unknown format " + (b.length == 0 ? "(empty)" : b[0]),
            false);
      }
      this.p = 1;
    }

    Map<String, String> map() {
      int n = count();
      if (n == 0) {
        return Map.of();
      }
      Map<String, String> m = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        m.put(string(), string());
      }
      return m;
    }

    int count() {
      int v = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        byte x = next();
        v |= (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw malformed();
    }

    String string() {
      int n = count();
      if (n > b.length - p) {
        throw malformed();
      }
      String s = new String(b, p, n, StandardCharsets.UTF_8);
      p += n;
      return s;
    }

    long fixed64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (next() & 0xFFL) << (8 * i);
      }
      return v;
    }

    private byte next() {
      if (p >= b.length) {
        throw malformed();
      }
      return b[p++];
    }

    private RuntimeException malformed() {
      return new StoreException("stored span detail is truncated", false);
    }
  }
}
