package io.agentledger.store.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Resource attributes stored once ({@code span_resources}) instead of on every span: a batch's
 * spans come from a handful of services, so each span carries only the id of its resource. Ids are
 * handed out in order; a resource is remembered only once the transaction that stored it commits
 * (two writers may each store the same new resource under an id of their own: both read back the
 * same).
 */
final class SpanResources {

  private final Map<Map<String, String>, Long> ids = new ConcurrentHashMap<>();
  private final Map<Long, Map<String, String>> byId = new ConcurrentHashMap<>();
  private final AtomicLong lastId;

  private SpanResources(long lastId) {
    this.lastId = new AtomicLong(lastId);
  }

  /** Reads the stored resources (a few rows: one per service, version and host). */
  static SpanResources load(DuckDBConnection w) throws SQLException {
    Map<Map<String, String>, Long> stored = new HashMap<>();
    long last = 0;
    try (Statement st = w.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, attributes FROM span_resources")) {
      while (rs.next()) {
        long id = rs.getLong(1);
        stored.put(SpanDetail.decodeMap(rs.getString(2)), id);
        last = Math.max(last, id);
      }
    }
    SpanResources r = new SpanResources(last);
    r.ids.putAll(stored);
    stored.forEach((resource, id) -> r.byId.put(id, resource));
    return r;
  }

  /**
   * The attributes of resource {@code id}, from memory; read from the table (on {@code c}) when a
   * reader sees a batch whose commit this process has not recorded yet.
   */
  Map<String, String> attributes(Connection c, long id) throws SQLException {
    Map<String, String> known = byId.get(id);
    if (known != null) {
      return known;
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT attributes FROM span_resources WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("span resource " + id + " is not stored");
        }
        Map<String, String> read = SpanDetail.decodeMap(rs.getString(1));
        byId.put(id, read);
        return read;
      }
    }
  }

  /** The resources one append uses; used by one thread. */
  Batch batch() {
    return new Batch();
  }

  final class Batch {
    private final Map<Map<String, String>, Long> fresh = new HashMap<>();

    /** The id of {@code resource}; a new one is stored with the batch. */
    long idOf(Map<String, String> resource) {
      Long id = ids.get(resource);
      if (id == null) {
        id = fresh.computeIfAbsent(resource, k -> lastId.incrementAndGet());
      }
      return id;
    }

    /** Writes the resources first seen in this batch, inside the batch's transaction. */
    void store(DuckDBConnection w, SpanDetail encoder) throws SQLException {
      if (fresh.isEmpty()) {
        return;
      }
      try (DuckDBAppender appender =
          w.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "span_resources")) {
        for (Map.Entry<Map<String, String>, Long> e : fresh.entrySet()) {
          appender.beginRow();
          appender.append(e.getValue());
          appender.append(encoder.encodeMap(e.getKey()));
          appender.endRow();
        }
        appender.flush();
      }
    }

    /** The batch committed: its new resources are stored. */
    void committed() {
      fresh.forEach((resource, id) -> byId.put(id, resource));
      ids.putAll(fresh);
    }
  }
}
