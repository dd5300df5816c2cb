package io.agentledger.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.store.StoreException;
import io.agentledger.store.StoreFailures.Verdict;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB's own errors, provoked for real, and what they mean for trying again. */
class DuckDbErrorsTest {

  @TempDir Path dir;

  @Test
  void wrongDataOrStatements_areNotRetryable() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, amount DECIMAL(18, 9))");
        st.execute("INSERT INTO t VALUES (1, 1.5)");
      }
      assertPermanent(c, "INSERT INTO t VALUES (1, 2.0)"); // constraint
      assertPermanent(c, "SELECT CAST('not a number' AS INTEGER)"); // conversion
      assertPermanent(c, "INSERT INTO t VALUES (2, 1e12)"); // out of range for DECIMAL(18, 9)
      assertPermanent(c, "SELECT * FROM no_such_table"); // catalog
      assertPermanent(c, "SELEC 1"); // parser
    }
  }

  @Test
  void aFileLockedByAnotherProcess_orAClosedConnection_isRetryable() throws Exception {
    SQLException locked =
        new SQLException(
            "IO Error: Could not set lock on file \"/data/agentledger.duckdb\": Conflicting lock"
                + " is held in /usr/bin/java (PID 4242)");
    assertThat(DuckDbErrors.classify(locked)).isEqualTo(Verdict.RETRYABLE);
    assertThat(Database.FAILURES.retryable(locked)).isTrue();
    assertThat(
            DuckDbErrors.classify(
                new SQLException("TransactionContext Error: Catalog write-write conflict")))
        .isEqualTo(Verdict.RETRYABLE);

    Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("x.duckdb"));
    Statement st = c.createStatement();
    c.close();
    SQLException closed = catchSql(st, "SELECT 1");
    assertThat(Database.FAILURES.wrap("reading", closed).getMessage()).startsWith("reading failed");
  }

  @Test
  void unknownMessages_areLeftToTheSharedRules() {
    assertThat(DuckDbErrors.classify(new SQLException("something else")))
        .isEqualTo(Verdict.UNKNOWN);
    assertThat(DuckDbErrors.classify(new IllegalStateException("IO Error: x")))
        .isEqualTo(Verdict.UNKNOWN);
    // The first type named decides, however the message was wrapped.
    assertThat(
            DuckDbErrors.classify(
                new SQLException("migration V003 failed: Constraint Error: IO Error in value")))
        .isEqualTo(Verdict.PERMANENT);
  }

  @Test
  void storedJsonThatCannotBeRead_isAPermanentStoreError() {
    assertThatThrownBy(() -> SpanRows.parseMap("{not json"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("stored JSON is unreadable")
        .matches(e -> !((StoreException) e).retryable());
  }

  private static void assertPermanent(Connection c, String sql) throws SQLException {
    SQLException e;
    try (Statement st = c.createStatement()) {
      e = catchSql(st, sql);
    }
    assertThat(DuckDbErrors.classify(e)).as(e.getMessage()).isEqualTo(Verdict.PERMANENT);
    assertThat(Database.FAILURES.wrap("running " + sql, e).retryable()).isFalse();
  }

  private static SQLException catchSql(Statement st, String sql) {
    try {
      st.execute(sql);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("expected " + sql + " to fail");
  }
}
