package io.agentledger.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {

  @Test
  void oneLinePerReasonPerInterval() {
    AtomicLong nanos = new AtomicLong();
    ThrottledLog log =
        new ThrottledLog(
            LoggerFactory.getLogger(ThrottledLogTest.class), Duration.ofSeconds(10), nanos::get);
    assertThat(log.warn("bad_gzip", "first")).isTrue();
    assertThat(log.warn("bad_gzip", "second")).isFalse();
    assertThat(log.warn("too_slow", "other reason")).isTrue();
    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(log.warn("bad_gzip", "third")).isFalse();
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(log.warn("bad_gzip", "fourth, with a count of two")).isTrue();
  }
}
