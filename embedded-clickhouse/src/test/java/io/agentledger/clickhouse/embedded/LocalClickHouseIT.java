package io.agentledger.clickhouse.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalClickHouseAvailable.class)
class LocalClickHouseIT {

  @Test
  void tablesSurviveAKillAndARestart_onTheSamePort(@TempDir Path dir) {
    try (LocalClickHouse ch = LocalClickHouse.builder(dir).start()) {
      int port = ch.httpPort();
      assertThat(ch.query("SELECT version()")).startsWith("26.");
      ch.query("CREATE DATABASE d");
      ch.query("CREATE TABLE d.t (x UInt32) ENGINE = MergeTree ORDER BY x");
      ch.query("INSERT INTO d.t VALUES (1), (2)");

      long killed = ch.pid();
      ch.kill();
      assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive))
          .isNotEqualTo(Optional.of(true));
      assertThat(ch.isRunning()).isFalse();

      ch.start();
      assertThat(ch.pid()).isNotEqualTo(killed);
      assertThat(ch.httpPort()).isEqualTo(port);
      assertThat(ch.query("SELECT sum(x) FROM d.t").strip()).isEqualTo("3");

      ch.restart();
      assertThat(ch.query("SELECT count() FROM d.t").strip()).isEqualTo("2");
      assertThat(ch.jdbcUrl("d")).isEqualTo("jdbc:clickhouse://127.0.0.1:" + port + "/d");

      long stopped = ch.pid();
      ch.stop();
      assertThat(ProcessHandle.of(stopped).map(ProcessHandle::isAlive))
          .isNotEqualTo(Optional.of(true));
    }
  }

  @Test
  void theUserNeedsItsPassword(@TempDir Path dir) {
    try (LocalClickHouse ch = LocalClickHouse.builder(dir).password("right").start();
        LocalClickHouse sameServerWrongPassword =
            LocalClickHouse.builder(dir).password("wrong").httpPort(ch.httpPort()).build()) {
      assertThat(ch.query("SELECT currentUser()").strip()).isEqualTo("agentledger");
      assertThatThrownBy(() -> sameServerWrongPassword.query("SELECT 1"))
          .isInstanceOf(LocalClickHouseException.class)
          .hasMessageContaining("answered");
    }
  }

  @Test
  void theSharedServer_isOnePerJvm() {
    LocalClickHouse shared = LocalClickHouse.shared();
    assertThat(LocalClickHouse.shared()).isSameAs(shared);
    assertThat(shared.isRunning()).isTrue();
  }
}
