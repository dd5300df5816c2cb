package io.agentledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AppendStampsTest {

  private static final Instant T = Instant.parse("2025-11-23T12:00:00Z");

  private final TestClock clock = new TestClock(T);
  private final AppendStamps stamps = new AppendStamps(clock, 0);

  @Test
  void stamps_areWholeMicroseconds_andNeverGoBack() {
    clock.advance(Duration.ofNanos(999));
    AppendStamps.Stamp first = stamps.begin();
    clock.advance(Duration.ofSeconds(-1));
    AppendStamps.Stamp second = stamps.begin();

    assertThat(first.instant()).isEqualTo(T);
    assertThat(first.micros()).isEqualTo(T.getEpochSecond() * 1_000_000L);
    assertThat(second.instant()).isEqualTo(T);
    assertThat(new AppendStamps(clock, first.micros() + 5).begin().micros())
        .as("the newest stored time, read at open, is a floor")
        .isEqualTo(first.micros() + 5);
  }

  @Test
  void committedUpTo_staysBeforeTheOldestStampInFlight_untilEveryOneIsClosed() {
    AppendStamps.Stamp older = stamps.begin();
    clock.advance(Duration.ofSeconds(1));
    AppendStamps.Stamp newer = stamps.begin();
    AppendStamps.Stamp sameTime = stamps.begin();
    clock.advance(Duration.ofMinutes(1));
    Instant now = clock.instant();

    assertThat(stamps.committedUpTo(now)).isEqualTo(T.minusNanos(1_000));
    assertThat(stamps.committedUpTo(T.minusSeconds(5))).isEqualTo(T.minusSeconds(5));
    older.close();
    older.close(); // twice: still counts once
    assertThat(stamps.committedUpTo(now)).isEqualTo(T.plusSeconds(1).minusNanos(1_000));
    newer.close();
    assertThat(stamps.committedUpTo(now))
        .as("another append of the same microsecond is still being written")
        .isEqualTo(T.plusSeconds(1).minusNanos(1_000));
    sameTime.close();
    assertThat(stamps.committedUpTo(now)).isEqualTo(now);
  }

  @Test
  void anAppendBegunAfterABoundWasGiven_isStampedAfterIt_evenWhenTheClockStandsStill() {
    Instant bound = stamps.committedUpTo(T.plusNanos(1_500));

    AppendStamps.Stamp next = stamps.begin();

    assertThat(bound).isEqualTo(T.plusNanos(1_500));
    assertThat(next.instant()).isAfter(bound).isEqualTo(T.plusNanos(2_000));
    assertThat(stamps.committedUpTo(T.plusSeconds(1))).isEqualTo(T.plusNanos(1_000));
  }
}
