package io.agentledger.store.duckdb;

import io.agentledger.store.StoreException;
import io.agentledger.store.StoreFailures;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB database behind a store: one writer connection, used under a lock, and reads on their
 * own duplicate connections (DuckDB's MVCC keeps them consistent while writes go on). Every SQL
 * failure leaves here as a {@link StoreException}, classified by {@link DuckDbErrors}.
 */
final class Database {

  static final StoreFailures FAILURES = new StoreFailures(DuckDbErrors::classify);

  interface Read<T> {
    T apply(Connection c) throws SQLException;
  }

  interface Write<T> {
    T apply(DuckDBConnection writer) throws SQLException;
  }

  /** Write work that returns nothing. */
  interface Task {
    void run(DuckDBConnection writer) throws SQLException;
  }

  private volatile DuckDBConnection writer; // replaced after a failed write, under writeLock
  private final Object writeLock = new Object();
  private final List<Task> writerSetup = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  Database(DuckDBConnection writer) {
    this.writer = writer;
  }

  /** Runs a read on a connection of its own. */
  <T> T read(String what, Read<T> body) {
    ensureOpen();
    try (Connection c = writer.duplicate()) {
      return body.apply(c);
    } catch (SQLException e) {
      throw FAILURES.wrap(what, e);
    }
  }

  /** Runs a write on the writer connection, serialized with every other write. */
  <T> T write(String what, Write<T> body) {
    synchronized (writeLock) {
      ensureOpen();
      try {
        return body.apply(writer);
      } catch (SQLException e) {
        replaceWriter(e);
        throw FAILURES.wrap(what, e);
      }
    }
  }

  /**
   * Swaps the writer for a fresh connection to the same database. A commit that fails (a full disk)
   * can leave DuckDB's connection without a transaction while JDBC believes one is open, so every
   * later write would fail even once the cause is gone; a new connection starts clean.
   */
  private void replaceWriter(SQLException cause) {
    DuckDBConnection old = writer;
    DuckDBConnection fresh;
    try {
      fresh = (DuckDBConnection) old.duplicate();
      for (Task setup : writerSetup) {
        setup.run(fresh);
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
      return; // keep the old one: the database itself is failing, the next write says so
    }
    writer = fresh;
    try {
      old.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Runs {@code setup} on the writer now and again on every writer that replaces it: what belongs
   * to one connection (temporary staging tables) must exist on whichever connection writes.
   */
  void setUpEveryWriter(String what, Task setup) {
    writeAll(what, setup);
    writerSetup.add(setup);
  }

  /** Like {@link #write}, for work that returns nothing. */
  void writeAll(String what, Task body) {
    write(
        what,
        w -> {
          body.run(w);
          return Boolean.TRUE;
        });
  }

  /** Like {@link #write}, in one transaction: all of it is stored, or none. */
  <T> T transaction(String what, Write<T> body) {
    return write(what, w -> inTransaction(w, body));
  }

  /** Runs the body on the writer (whose lock the caller holds) in one transaction. */
  static <T> T inTransaction(DuckDBConnection writer, Write<T> body) throws SQLException {
    writer.setAutoCommit(false);
    try {
      T result = body.apply(writer);
      writer.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        writer.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed); // the cause is e: a failed commit leaves nothing to undo
      }
      throw e;
    } finally {
      try {
        writer.setAutoCommit(true);
      } catch (SQLException ignored) {
        // Only after a failure, which is already on its way up; the writer is replaced.
      }
    }
  }

  /** Like {@link #inTransaction(DuckDBConnection, Write)}, for work that returns nothing. */
  static void runInTransaction(DuckDBConnection writer, Task body) throws SQLException {
    inTransaction(
        writer,
        tx -> {
          body.run(tx);
          return Boolean.TRUE;
        });
  }

  /** Checkpoints and closes; a second call does nothing. */
  void close() {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      try (Statement st = writer.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        // The WAL still holds every committed write; the next open replays it.
      }
      try {
        writer.close();
      } catch (SQLException e) {
        throw new StoreException("closing DuckDB failed: " + e.getMessage(), false, e);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("the store is closed", false);
    }
  }

  // --- statement helpers ----------------------------------------------------------------------

  static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  static void bindStrings(PreparedStatement ps, int first, List<String> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(first + i, values.get(i));
    }
  }

  static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof BigDecimal d) {
        ps.setBigDecimal(i + 1, d);
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  static Instant instantOfMicros(long us) {
    return Instant.ofEpochSecond(
        Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000);
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
