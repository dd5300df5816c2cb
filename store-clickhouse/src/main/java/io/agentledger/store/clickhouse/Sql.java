package io.agentledger.store.clickhouse;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A statement and its arguments, built apart from any connection so its text can be checked without
 * a server.
 *
 * <p>The driver substitutes each {@code ?} with a literal on the client. Instants become {@code
 * fromUnixTimestamp64Nano(n)} (exact and time-zone free), strings are quoted and escaped, maps and
 * lists become ClickHouse literals. The statement text must not contain a colon: the driver's
 * placeholder scanner reads {@code ? ... :} as a ternary operator and would skip the placeholder.
 */
record Sql(String text, List<Object> args) {

  Sql {
    args = Collections.unmodifiableList(new ArrayList<>(args));
  }

  static Sql of(String text, Object... args) {
    return new Sql(text, List.of(args));
  }

  /** {@code ?, ?, ?} for an IN list. */
  static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** Binds every argument, in order, from parameter 1. */
  void bind(PreparedStatement ps) throws SQLException {
    bind(ps, args);
  }

  static void bind(PreparedStatement ps, List<?> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      bindOne(ps, i + 1, values.get(i));
    }
  }

  static void bindOne(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer n) {
      ps.setInt(index, n);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else if (value instanceof Double d) {
      if (Double.isFinite(d)) {
        ps.setDouble(index, d);
      } else { // Java spells these NaN and Infinity; ClickHouse reads nan and inf
        ps.setObject(index, new Literal(d.isNaN() ? "nan" : d > 0 ? "inf" : "-inf"));
      }
    } else if (value instanceof BigDecimal d) {
      ps.setBigDecimal(index, d);
    } else if (value instanceof Instant || value instanceof Collection<?>) {
      ps.setObject(index, value);
    } else if (value instanceof java.util.Map<?, ?>) {
      ps.setObject(index, value);
    } else {
      throw new IllegalArgumentException("cannot bind " + value.getClass().getName());
    }
  }

  /** A literal the driver writes as is (it renders unknown objects by their toString). */
  record Literal(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
  }
}
