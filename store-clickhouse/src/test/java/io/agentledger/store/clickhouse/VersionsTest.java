package io.agentledger.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.store.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VersionsTest {

  @Test
  void versionsIncrease_evenWhenTheClockStandsStillOrGoesBack() {
    Instant t = Instant.parse("2025-11-23T12:00:00Z");
    TestClock clock = new TestClock(t);
    Versions versions = new Versions(clock);

    long a = versions.next();
    long b = versions.next();
    clock.advance(Duration.ofSeconds(-10));
    long c = versions.next();

    assertThat(a).isEqualTo(Sql.micros(t));
    assertThat(b).isEqualTo(a + 1);
    assertThat(c).isEqualTo(b + 1);
    assertThat(Versions.SETTLED + a)
        .isGreaterThan(Sql.micros(Instant.parse("2262-01-01T00:00:00Z")));
  }
}
