package io.agentledger.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TenantLimiterTest {

  final AtomicLong nanos = new AtomicLong();

  @Test
  void concurrency_isCountedPerProject() {
    TenantLimiter limiter = new TenantLimiter(new TenantLimiter.Limits(2, 0, 1), nanos::get);
    TenantLimiter.Admission a1 = limiter.admit("alpha");
    TenantLimiter.Admission a2 = limiter.admit("alpha");
    TenantLimiter.Admission a3 = limiter.admit("alpha");
    assertThat(a1.admitted()).isTrue();
    assertThat(a2.admitted()).isTrue();
    assertThat(a3.admitted()).isFalse();
    assertThat(a3.refusal().reason()).contains("2 requests");
    assertThat(limiter.admit("beta").admitted()).as("another project is not affected").isTrue();
    a1.permit().close();
    a1.permit().close(); // idempotent: frees one slot only
    assertThat(limiter.admit("alpha").admitted()).isTrue();
    assertThat(limiter.admit("alpha").admitted()).isFalse();
  }

  @Test
  void rate_allowsTheBurst_thenOnePerInterval_withRetryAfter() {
    TenantLimiter limiter = new TenantLimiter(new TenantLimiter.Limits(0, 2, 3), nanos::get);
    for (int i = 0; i < 3; i++) {
      limiter.admit("alpha").permit().close();
    }
    TenantLimiter.Admission refused = limiter.admit("alpha");
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.refusal().retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(limiter.admit("beta").admitted()).isTrue();
    nanos.addAndGet(Duration.ofMillis(500).toNanos()); // 2 a second: one token back
    assertThat(limiter.admit("alpha").admitted()).isTrue();
    assertThat(limiter.admit("alpha").admitted()).isFalse();
  }
}
