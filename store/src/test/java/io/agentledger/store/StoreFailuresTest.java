package io.agentledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.store.StoreFailures.Verdict;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class StoreFailuresTest {

  private final StoreFailures noDriverRule = new StoreFailures(t -> Verdict.UNKNOWN);

  @Test
  void transientJdbcErrorsAndNetworkFailures_areRetryable() {
    assertThat(noDriverRule.retryable(new SQLTimeoutException("slow"))).isTrue();
    assertThat(noDriverRule.retryable(new SQLTransientConnectionException("gone"))).isTrue();
    assertThat(noDriverRule.retryable(new SQLException("x", new ConnectException("refused"))))
        .isTrue();
    assertThat(noDriverRule.retryable(new SQLException("link failure", "08006"))).isTrue();
    assertThat(noDriverRule.retryable(new SQLException("deadlock", "40001"))).isTrue();
  }

  @Test
  void wrongStatementsAndData_areNot() {
    assertThat(noDriverRule.retryable(new SQLIntegrityConstraintViolationException("dup")))
        .isFalse();
    assertThat(noDriverRule.retryable(new SQLException("out of range", "22003"))).isFalse();
    assertThat(noDriverRule.retryable(new SQLException("syntax", "42601"))).isFalse();
  }

  @Test
  void whatNoRuleRecognizes_isNotRetried() {
    assertThat(noDriverRule.retryable(new SQLException("something odd"))).isFalse();
    assertThat(noDriverRule.retryable(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void theDriversVerdict_winsOverAWrappersSqlState() {
    StoreFailures failures =
        new StoreFailures(t -> t instanceof IOException ? Verdict.PERMANENT : Verdict.UNKNOWN);
    SQLException wrapped = new SQLException("wrapped", "08001", new IOException("bad file"));
    assertThat(failures.retryable(wrapped)).isFalse();
    assertThat(noDriverRule.retryable(wrapped)).isTrue();
  }

  @Test
  void storeExceptions_keepTheirVerdict_andPassThroughWrap() {
    StoreException permanent = new StoreException("closed", false);
    assertThat(noDriverRule.wrap("reading", permanent)).isSameAs(permanent);
    assertThat(noDriverRule.retryable(new RuntimeException(new StoreException("busy", true))))
        .isTrue();

    StoreException wrapped = noDriverRule.wrap("listing chains", new SQLTimeoutException("slow"));
    assertThat(wrapped.getMessage()).isEqualTo("listing chains failed: slow");
    assertThat(wrapped.retryable()).isTrue();
  }

  @Test
  void badJson_isNeverRetryable_evenThoughParsersThrowIoExceptions() {
    StoreException e = StoreFailures.badJson("stored JSON is unreadable", new IOException("eof"));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).isEqualTo("stored JSON is unreadable: eof");
    assertThat(noDriverRule.retryable(new RuntimeException(e))).isFalse();
  }
}
