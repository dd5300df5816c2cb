package io.agentledger.standalone.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoScheduleTest {

  private final DemoSchedule schedule = DemoSchedule.DEFAULT;

  @Test
  void theBurstSpreadsItsRunsOverItsFirstMinute_thenTheSteadyRateTakesOver() {
    assertThat(schedule.arrival(0)).isEqualTo(Duration.ZERO);
    assertThat(schedule.arrival(450)).isEqualTo(Duration.ofSeconds(30));
    assertThat(schedule.arrival(899)).isLessThan(Duration.ofMinutes(1));
    // 30 a minute: one every 2 s after the burst.
    assertThat(schedule.arrival(900)).isEqualTo(Duration.ofSeconds(62));
    assertThat(schedule.arrival(901)).isEqualTo(Duration.ofSeconds(64));
    assertThat(schedule.arrival(900 + 30 * 9)).isEqualTo(Duration.ofMinutes(10).plusSeconds(2));
  }

  @Test
  void theBurstsRunsStartedOneAfterAnother_overTwentyMinutesEndingFiveBeforeTheDemo() {
    assertThat(schedule.historyStart(0)).isEqualTo(Duration.ofMinutes(-25));
    assertThat(schedule.historyStart(450)).isEqualTo(Duration.ofMinutes(-15));
    // The last, a start's spacing (20 min / 900) before the five minutes.
    assertThat(schedule.historyStart(899))
        .isStrictlyBetween(Duration.ofMinutes(-5).minusSeconds(2), Duration.ofMinutes(-5));
    assertThat(schedule.inBurst(899)).isTrue();
    assertThat(schedule.inBurst(900)).isFalse();
    assertThatThrownBy(() -> schedule.historyStart(900))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCostSpikeLastsFromMinuteFiveToMinuteEight() {
    assertThat(schedule.inSpike(Duration.ofMinutes(5).minusMillis(1))).isFalse();
    assertThat(schedule.inSpike(Duration.ofMinutes(5))).isTrue();
    assertThat(schedule.inSpike(Duration.ofMinutes(8).minusMillis(1))).isTrue();
    assertThat(schedule.inSpike(Duration.ofMinutes(8))).isFalse();
  }

  @Test
  void aBurstOfNothing_startsAtTheSteadyRate() {
    DemoSchedule steady =
        new DemoSchedule(1, 0, Duration.ZERO, 60, Duration.ZERO, Duration.ZERO, 3, Long.MAX_VALUE);
    assertThat(steady.arrival(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(steady.inSpike(Duration.ZERO)).isFalse();
  }

  @Test
  void aRateOfZero_isRefused() {
    assertThatThrownBy(
            () ->
                new DemoSchedule(
                    1, 10, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO, 3, Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
