package io.agentledger.store.clickhouse;

import io.agentledger.store.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of JDBC connections, each used by one caller at a time. The driver speaks HTTP, so a
 * connection is cheap to hold and survives a failed statement; the bound keeps the number of
 * concurrent queries one store sends to the server in check.
 */
final class ConnectionPool implements AutoCloseable {

  interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  interface Task {
    void run(Connection c) throws SQLException;
  }

  private final BlockingQueue<Connection> idle;
  private final List<Connection> all;
  private final Duration borrowTimeout;
  private volatile boolean closed;

  ConnectionPool(String url, Properties props, int size, Duration borrowTimeout)
      throws SQLException {
    this.idle = new ArrayBlockingQueue<>(size);
    this.all = new ArrayList<>(size);
    this.borrowTimeout = borrowTimeout;
    try {
      for (int i = 0; i < size; i++) {
        Connection c = DriverManager.getConnection(url, props);
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  <T> T with(Work<T> work) throws SQLException {
    Connection c = borrow();
    try {
      return work.apply(c);
    } finally {
      idle.add(c);
    }
  }

  /** Like {@link #with} for work that returns nothing. */
  void run(Task task) throws SQLException {
    Connection c = borrow();
    try {
      task.run(c);
    } finally {
      idle.add(c);
    }
  }

  private Connection borrow() {
    if (closed) {
      // Retryable: nothing is wrong with what was asked, so no caller skips a chain or
      // dead-letters a span over it (a settlement round outliving shutdown did, and logged it).
      throw new StoreException("the store is closed", true);
    }
    Connection c;
    try {
      c = idle.poll(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a ClickHouse connection", true, e);
    }
    if (c == null) {
      throw new StoreException(
          "no ClickHouse connection free after " + borrowTimeout.toMillis() + " ms", true);
    }
    return c;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    SQLException first = null;
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw new StoreException("closing ClickHouse connections failed", false, first);
    }
  }
}
