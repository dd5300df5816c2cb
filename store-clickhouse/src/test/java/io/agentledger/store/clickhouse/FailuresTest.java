package io.agentledger.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ServerException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void busyServersAndNetworkFailures_areRetryable() {
    assertThat(
            Failures.retryable(new SQLException("x", new ServerException(252, "too many parts"))))
        .isTrue();
    assertThat(Failures.retryable(new SQLException("x", new ServerException(241, "memory"))))
        .isTrue();
    assertThat(Failures.retryable(new SQLException("x", new ConnectException("refused")))).isTrue();
  }

  @Test
  void aFullDisk_isRetryable_notADataError() {
    assertThat(
            Failures.retryable(
                new SQLException("x", new ServerException(243, "Cannot reserve 1.00 MiB"))))
        .isTrue();
  }

  @Test
  void wrongStatementsAndData_areNot() {
    assertThat(Failures.retryable(new SQLException("x", new ServerException(62, "syntax"))))
        .isFalse();
    assertThat(Failures.retryable(new SQLException("x", new ServerException(60, "no table"))))
        .isFalse();
    assertThat(Failures.retryable(new SQLException("parameter not set"))).isFalse();
  }

  @Test
  void wrappedErrors_sayWhatFailed() {
    var e =
        Failures.wrap("listing chains", new SQLException("boom", new ServerException(159, "t")));
    assertThat(e.getMessage()).isEqualTo("listing chains failed: boom");
    assertThat(e.retryable()).isTrue();
  }
}
