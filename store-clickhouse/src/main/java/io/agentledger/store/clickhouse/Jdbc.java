package io.agentledger.store.clickhouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Running {@link Sql} on a connection: queries row by row, inserts as batches. */
final class Jdbc {

  /** Rows per INSERT statement. */
  static final int INSERT_CHUNK = 10_000;

  private Jdbc() {}

  interface RowHandler {
    void accept(ResultSet rs) throws SQLException;
  }

  static void query(Connection c, Sql sql, RowHandler handler) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.text())) {
      ps.setEscapeProcessing(false);
      sql.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.accept(rs);
        }
      }
    }
  }

  /** Runs a statement that returns no rows (a delete). */
  static void execute(Connection c, Sql sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.text())) {
      ps.setEscapeProcessing(false);
      sql.bind(ps);
      ps.execute();
    }
  }

  /**
   * Inserts the rows with one statement per {@link #INSERT_CHUNK}: the driver joins a batch into a
   * single {@code INSERT ... VALUES (...), (...)}, which the server stores as one part.
   */
  static void insertBatch(Connection c, String insert, List<List<Object>> rows)
      throws SQLException {
    for (List<List<Object>> chunk : chunks(rows, INSERT_CHUNK)) {
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        // Values are data: the driver would otherwise rewrite JDBC escapes ({fn ...}) in them.
        ps.setEscapeProcessing(false);
        for (List<Object> row : chunk) {
          Sql.bind(ps, row);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  static <T> List<List<T>> chunks(Collection<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    List<T> current = new ArrayList<>(Math.min(size, items.size()));
    for (T item : items) {
      current.add(item);
      if (current.size() == size) {
        out.add(current);
        current = new ArrayList<>(size);
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
