package io.agentledger.store.clickhouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retention TTL of the span-derived tables. It is configuration, not schema, so the migrations
 * (which a docker-compose stack also runs as they are) create the tables without one and the store
 * sets it at open with {@code ALTER TABLE ... MODIFY TTL}, only when it differs from the one last
 * applied (kept in {@code store_settings}): changing it rewrites TTL information on every part.
 * Daily partitions with {@code ttl_only_drop_parts} make expiry a cheap partition drop.
 */
final class Retention {

  private static final String KEY = "ttl_seconds";

  /** Table → the time its rows expire from. */
  static final Map<String, String> EXPIRES_FROM = expiresFrom();

  private static Map<String, String> expiresFrom() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spans", "toDateTime(Timestamp)");
    m.put("trace_index", "toDateTime(`End`)");
    m.put("chain_activity", "toDateTime(IngestedAt)");
    m.put("chains", "toDateTime(EndTime)");
    return m;
  }

  private Retention() {}

  /** The statements that move the tables from the applied TTL to the wanted one, if any. */
  static List<String> changes(String appliedSeconds, String wantedSeconds) {
    List<String> out = new ArrayList<>();
    if (appliedSeconds.equals(wantedSeconds)) {
      return out;
    }
    for (Map.Entry<String, String> e : EXPIRES_FROM.entrySet()) {
      if (wantedSeconds.isEmpty()) {
        out.add("ALTER TABLE " + e.getKey() + " REMOVE TTL");
      } else {
        out.add(
            "ALTER TABLE "
                + e.getKey()
                + " MODIFY TTL "
                + e.getValue()
                + " + toIntervalSecond("
                + Long.parseLong(wantedSeconds)
                + ")");
      }
    }
    return out;
  }

  /** {@code ""} for no TTL. */
  static String seconds(Duration ttl) {
    if (ttl == null || ttl.isZero()) {
      return "";
    }
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    return String.valueOf(Math.max(1, ttl.toSeconds()));
  }

  static void apply(Connection c, Duration ttl, long version) throws SQLException {
    String wanted = seconds(ttl);
    String applied = "";
    try (PreparedStatement ps =
        c.prepareStatement("SELECT Value FROM store_settings FINAL WHERE Key = ?")) {
      ps.setString(1, KEY);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          applied = rs.getString(1);
        }
      }
    }
    List<String> changes = changes(applied, wanted);
    if (changes.isEmpty()) {
      return;
    }
    for (String alter : changes) {
      try (Statement st = c.createStatement()) {
        st.execute(alter);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO store_settings (Key, Value, Version) VALUES (?, ?, ?)")) {
      ps.setString(1, KEY);
      ps.setString(2, wanted);
      ps.setLong(3, version);
      ps.executeUpdate();
    }
  }
}
