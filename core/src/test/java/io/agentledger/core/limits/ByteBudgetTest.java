package io.agentledger.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ByteBudgetTest {

  @Test
  void reservation_growsUntilTheBudgetIsSpent_andGivesEverythingBack() {
    ByteBudget budget = new ByteBudget(100);
    ByteBudget.Reservation a = budget.tryReserve(30);
    assertThat(a).isNotNull();
    assertThat(a.growTo(80)).isTrue();
    assertThat(budget.tryReserve(30)).isNull();
    assertThat(a.growTo(101)).isFalse();
    assertThat(a.held()).isEqualTo(80);
    a.close();
    a.close();
    assertThat(budget.reserved()).isZero();
    assertThat(budget.peak()).isEqualTo(80);
  }

  @Test
  void projectShare_isChargedToTheSharedBudgetToo() {
    ByteBudget shared = new ByteBudget(100);
    ByteBudget alpha = new ByteBudget(50, shared);
    ByteBudget beta = new ByteBudget(50, shared);
    ByteBudget.Reservation a = alpha.tryReserve(50);
    assertThat(alpha.tryReserve(1)).as("alpha's share is spent").isNull();
    ByteBudget.Reservation b = beta.tryReserve(40);
    assertThat(b).as("beta still has its share").isNotNull();
    assertThat(shared.reserved()).isEqualTo(90);
    a.close();
    b.close();
    assertThat(shared.reserved()).isZero();
    assertThat(alpha.reserved()).isZero();
  }

  @Test
  void parentFull_refusesAndLeavesTheChildUncharged() {
    ByteBudget shared = new ByteBudget(10);
    ByteBudget alpha = new ByteBudget(50, shared);
    assertThat(alpha.tryReserve(11)).isNull();
    assertThat(alpha.reserved()).isZero();
    assertThat(shared.reserved()).isZero();
  }

  @Test
  void concurrentReservations_neverExceedTheCapacity() throws Exception {
    ByteBudget budget = new ByteBudget(1_000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 2_000; i++) {
                  try (ByteBudget.Reservation r = budget.tryReserve(100)) {
                    if (r != null) {
                      r.growTo(300);
                    }
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(budget.peak()).isLessThanOrEqualTo(1_000).isPositive();
    assertThat(budget.reserved()).isZero();
  }
}
