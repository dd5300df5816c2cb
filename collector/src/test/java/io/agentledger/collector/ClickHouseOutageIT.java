package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.clickhouse.embedded.LocalClickHouseAvailable;
import io.agentledger.store.clickhouse.ClickHouseSpanStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickHouse killed (SIGKILL) for longer than the consumers' {@code max.poll.interval.ms}, then
 * restarted on its data: the consumers stay in their group, and once it is back every acknowledged
 * span is stored exactly once, without restarting anything of ours.
 */
@ExtendWith(LocalClickHouseAvailable.class)
class ClickHouseOutageIT {

  @TempDir Path dir;

  @Test
  void clickHouseKilled_thenRestartedOnItsData_everyAcknowledgedSpanIsStoredOnce()
      throws Exception {
    try (LocalClickHouse ch = LocalClickHouse.builder(dir.resolve("clickhouse")).start()) {
      ch.query("CREATE DATABASE faults");
      Properties credentials = new Properties();
      credentials.setProperty("user", ch.user());
      credentials.setProperty("password", ch.password());
      try (Pipeline p =
          new Pipeline(
              dir,
              FaultsIT.fastRetries(Map.of()),
              d ->
                  ClickHouseSpanStore.open(
                      ch.jdbcUrl("faults"), credentials, Duration.ZERO, Clock.systemUTC()),
              writer -> writer,
              overrides -> overrides,
              FaultsIT.SHORT_POLL_INTERVAL)) {
        long acked = FaultsIT.send(p, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> BackPressureIT.llmCalls(p) == acked);

        ch.kill();
        long downAt = System.nanoTime();
        long ackedDuring = FaultsIT.send(p, 11, 10);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> p.ingest.problem().orElse("").contains("failed transiently"));
        // Three times max.poll.interval.ms, the consumers retrying all along.
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  assertThat(p.ingest.problem()).isPresent();
                  return System.nanoTime() - downAt > TimeUnit.SECONDS.toNanos(15);
                });

        ch.start();
        long total = acked + ackedDuring;
        await()
            .atMost(Duration.ofSeconds(90))
            .ignoreExceptions()
            .until(() -> BackPressureIT.llmCalls(p) == total);
        FaultsIT.assertExactTotal(p, total);
        assertThat(FaultsIT.deadLettered(p)).isZero();
        assertThat(p.registry.counter("agentledger.consumer.restarts").count()).isZero();
        assertThat(p.registry.counter("agentledger.kafka.commit.failures").count()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> p.ingest.problem().isEmpty());
      }
    }
  }
}
