package io.agentledger.store.duckdb;

import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanLink;
import io.agentledger.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact encoding of what no query filters or groups by: a span's attributes, finish reasons,
 * events and links in one text column ({@code spans.detail}), and a resource's attributes ({@code
 * span_resources.attributes}). Writing JSON through Jackson for every span cost more than DuckDB's
 * whole append; this copies the strings into one reused builder, separated by a control character.
 * It stays text (not a BLOB) so that DuckDB compresses it as it compressed the JSON (FSST).
 *
 * <p>Layout: tokens separated by U+001F: the format ({@value #FORMAT}), then the attribute map, the
 * finish reasons, the events (time, name, map) and the links (trace id, span id, map). A map or
 * list is its count followed by its items. U+001F and U+001B inside a token are preceded by U+001B.
 */
final class SpanDetail {

  static final String FORMAT = "d1";
  private static final char SEP = '\u001F';
  private static final char ESC = '\u001B';

  /** A span's detail, decoded. */
  record Decoded(
      Map<String, String> attributes,
      List<String> finishReasons,
      List<SpanEvent> events,
      List<SpanLink> links) {}

  private final StringBuilder out = new StringBuilder(1024);

  /** The detail of one span (the encoder's buffer is reused). */
  String encode(
      Map<String, String> attributes,
      List<String> finishReasons,
      List<SpanEvent> events,
      List<SpanLink> links) {
    out.setLength(0);
    out.append(FORMAT);
    writeMap(attributes);
    writeCount(finishReasons.size());
    for (String r : finishReasons) {
      write(r);
    }
    writeCount(events.size());
    for (SpanEvent e : events) {
      out.append(SEP).append(e.epochNanos());
      write(e.name());
      writeMap(e.attributes());
    }
    writeCount(links.size());
    for (SpanLink l : links) {
      write(l.traceId());
      write(l.spanId());
      writeMap(l.attributes());
    }
    return out.toString();
  }

  /** A map alone (a resource's attributes). */
  String encodeMap(Map<String, String> map) {
    out.setLength(0);
    out.append(FORMAT);
    writeMap(map);
    return out.toString();
  }

  static Decoded decode(String text) {
    Reader r = new Reader(text);
    Map<String, String> attributes = r.map();
    int n = r.count();
    List<String> reasons = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reasons.add(r.token());
    }
    n = r.count();
    List<SpanEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long t = r.number();
      events.add(new SpanEvent(t, r.token(), r.map()));
    }
    n = r.count();
    List<SpanLink> links = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      links.add(new SpanLink(r.token(), r.token(), r.map()));
    }
    r.end();
    return new Decoded(attributes, reasons, events, links);
  }

  static Map<String, String> decodeMap(String text) {
    Reader r = new Reader(text);
    Map<String, String> map = r.map();
    r.end();
    return map;
  }

  private void writeMap(Map<String, String> map) {
    writeCount(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      write(e.getKey());
      write(e.getValue());
    }
  }

  private void writeCount(int n) {
    out.append(SEP).append(n);
  }

  private void write(String s) {
    out.append(SEP);
    if (s.indexOf(SEP) < 0 && s.indexOf(ESC) < 0) {
      out.append(s); // nearly always: no control characters in attribute text
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == SEP || c == ESC) {
        out.append(ESC);
      }
      out.append(c);
    }
  }

  /** Reads what the encoder wrote; a malformed value is a store failure, not a crash. */
  private static final class Reader {
    private final String s;
    private int p;

    Reader(String text) {
      this.s = text;
      if (!text.startsWith(FORMAT)
          || (text.length() > FORMAT.length() && text.charAt(FORMAT.length()) != SEP)) {
        throw new StoreException(
            "stored span detail has an unknown format: "
                + text.substring(0, Math.min(8, text.length())),
            false);
      }
      this.p = FORMAT.length();
    }

    Map<String, String> map() {
      int n = count();
      if (n == 0) {
        return Map.of();
      }
      Map<String, String> m = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        m.put(token(), token());
      }
      return m;
    }

    int count() {
      long n = number();
      if (n < 0 || n > s.length()) {
        throw malformed();
      }
      return (int) n;
    }

    long number() {
      try {
        return Long.parseLong(token());
      } catch (NumberFormatException e) {
        throw malformed();
      }
    }

    String token() {
      if (p >= s.length() || s.charAt(p) != SEP) {
        throw malformed();
      }
      int start = ++p;
      int end = s.indexOf(SEP, start);
      int esc = s.indexOf(ESC, start);
      if (esc < 0 || (end >= 0 && esc > end)) { // no escape in this token
        p = end < 0 ? s.length() : end;
        return s.substring(start, p);
      }
      StringBuilder b = new StringBuilder();
      while (p < s.length() && s.charAt(p) != SEP) {
        char c = s.charAt(p++);
        if (c == ESC) {
          if (p >= s.length()) {
            throw malformed();
          }
          c = s.charAt(p++);
        }
        b.append(c);
      }
      return b.toString();
    }

    void end() {
      if (p != s.length()) {
        throw malformed();
      }
    }

    private RuntimeException malformed() {
      return new StoreException("stored span detail is truncated or malformed", false);
    }
  }
}
