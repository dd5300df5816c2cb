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
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB database behind a store: writer connections, each used under its own lock (one for
 * every write, more for appends), and reads on their own duplicate connections (DuckDB's MVCC keeps
 * them consistent while writes go on). Every SQL failure leaves here as a {@link StoreException},
 * classified by {@link DuckDbErrors}.
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

  /** A connection that writes, used by one thread at a time. */
  private static final class Writer {
    final ReentrantLock lock = new ReentrantLock();
    volatile DuckDBConnection connection; // replaced after a failed write, under lock

    Writer(DuckDBConnection connection) {
      this.connection = connection;
    }
  }

  // writers[0] does every write but appends; appends go to whichever of the others is free, so two
  // consumers write spans at the same time (DuckDB's appends from two transactions don't conflict)
  // and never wait behind the analyzer's writes (a settlement window holds its writer for seconds).
  private final Writer[] writers;
  private final List<Task> writerSetup = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /**
   * @param appendWriters connections that may append at the same time (at least 1)
   */
  Database(DuckDBConnection writer, int appendWriters) throws SQLException {
    writers = new Writer[1 + Math.max(1, appendWriters)];
    writers[0] = new Writer(writer);
    for (int i = 1; i < writers.length; i++) {
      writers[i] = new Writer((DuckDBConnection) writer.duplicate());
    }
  }

  /** Runs a read on a connection of its own. */
  <T> T read(String what, Read<T> body) {
    ensureOpen();
    try (Connection c = writers[0].connection.duplicate()) {
      return body.apply(c);
    } catch (SQLException e) {
      throw FAILURES.wrap(what, e);
    }
  }

  /** Runs a write on the main writer connection, serialized with every other such write. */
  <T> T write(String what, Write<T> body) {
    return writeOn(writers[0], what, body);
  }

  /**
   * Runs a write on whichever append connection is free, waiting for one only when all are busy:
   * for appends, which may run side by side.
   */
  <T> T writeOnAny(String what, Write<T> body) {
    for (int i = writers.length - 1; i >= 1; i--) {
      Writer w = writers[i];
      if (w.lock.tryLock()) {
        try {
          return writeOn(w, what, body); // re-entrant: the lock is held twice, released twice
        } finally {
          w.lock.unlock();
        }
      }
    }
    int appendWriters = writers.length - 1;
    return writeOn(writers[1 + (int) (Thread.currentThread().getId() % appendWriters)], what, body);
  }

  private <T> T writeOn(Writer w, String what, Write<T> body) {
    w.lock.lock();
    try {
      ensureOpen();
      try {
        return body.apply(w.connection);
      } catch (SQLException e) {
        replaceWriter(w, e);
        throw FAILURES.wrap(what, e);
      }
    } finally {
      w.lock.unlock();
    }
  }

  /**
   * Swaps the writer for a fresh connection to the same database. A commit that fails (a full disk)
   * can leave DuckDB's connection without a transaction while JDBC believes one is open, so every
   * later write would fail even once the cause is gone; a new connection starts clean.
   */
  private void replaceWriter(Writer w, SQLException cause) {
    DuckDBConnection old = w.connection;
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
    w.connection = fresh;
    try {
      old.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Runs {@code setup} on every writer now and again on every writer that replaces one: what
   * belongs to one connection (temporary staging tables) must exist on whichever connection writes.
   */
  void setUpEveryWriter(String what, Task setup) {
    for (Writer w : writers) {
      writeOn(
          w,
          what,
          c -> {
            setup.run(c);
            return Boolean.TRUE;
          });
    }
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
    for (Writer w : writers) {
      w.lock.lock();
    }
    try {
      if (closed) {
        return;
      }
      closed = true;
      try (Statement st = writers[0].connection.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        // The WAL still holds every committed write; the next open replays it.
      }
      StoreException failed = null;
      for (int i = writers.length - 1; i >= 0; i--) { // the main writer last
        try {
          writers[i].connection.close();
        } catch (SQLException e) {
          if (failed == null) {
            failed = new StoreException("closing DuckDB failed: " + e.getMessage(), false, e);
          }
        }
      }
      if (failed != null) {
        throw failed;
      }
    } finally {
      for (Writer w : writers) {
        w.lock.unlock();
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      // Retryable: nothing is wrong with what was asked, so no caller skips a chain or
      // dead-letters a span over it (a settlement round outliving shutdown did, and logged it).
      throw new StoreException("the store is closed", true);
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
