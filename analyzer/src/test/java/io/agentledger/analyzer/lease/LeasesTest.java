package io.agentledger.analyzer.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.store.LeaseClaim;
import io.agentledger.store.LeaseStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leases of two and three analyzer instances on one (real, DuckDB) store, on an injected clock. */
class LeasesTest {

  private static final Duration TERM = Duration.ofSeconds(10);
  private static final List<String> JOBS =
      List.of(Leases.ANOMALIES, Leases.ALERTS, Leases.REGRESSIONS, Leases.sink("webhook"));

  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:03Z"));
  private final DuckDbSpanStore store = DuckDbSpanStore.inMemory(clock);

  @AfterEach
  void close() {
    store.close();
  }

  private Leases instance(String holder) {
    return new Leases(store, holder, JOBS, TERM, clock);
  }

  /** Which of the instances hold the job now. */
  private static List<Leases> holders(String job, List<Leases> instances) {
    List<Leases> out = new ArrayList<>();
    for (Leases l : instances) {
      if (l.lease(job).held()) {
        out.add(l);
      }
    }
    return out;
  }

  @Test
  void eachJob_isHeldByOneInstanceAtATime_andAlwaysBySomeoneOnceStarted() {
    List<Leases> instances = List.of(instance("a"), instance("b"), instance("c"));
    instances.forEach(Leases::tick);
    // Mid-term at start: nobody claimed this term, so nobody runs anything yet.
    for (String job : JOBS) {
      assertThat(holders(job, instances)).isEmpty();
    }
    clock.advance(TERM);
    int held = 0;
    int steps = 0;
    for (int i = 0; i < 200; i++) {
      clock.advance(Duration.ofMillis(500));
      for (String job : JOBS) {
        List<Leases> h = holders(job, instances);
        assertThat(h).as("holders of %s at %s", job, clock.instant()).hasSizeLessThanOrEqualTo(1);
        held += h.size();
        steps++;
      }
    }
    // The same instances keep winning: a job is held without a pause.
    assertThat(held).isEqualTo(steps);
  }

  @Test
  void aStoppedInstance_jobsMoveToAnotherWithinTwoTerms() {
    Leases a = instance("a");
    Leases b = instance("b");
    a.tick();
    b.tick();
    clock.advance(TERM);
    a.tick();
    b.tick();
    List<String> ofA = JOBS.stream().filter(j -> a.lease(j).held()).toList();
    List<String> ofB = JOBS.stream().filter(j -> b.lease(j).held()).toList();
    assertThat(ofA.size() + ofB.size()).isEqualTo(JOBS.size());

    // a stops: it claims no more terms. Two terms on, b holds everything; never both.
    for (int i = 0; i < 40; i++) {
      clock.advance(Duration.ofMillis(500));
      for (String job : JOBS) {
        boolean byB = b.lease(job).held();
        // a's claim on the term at :20 was made at :13; the term at :30 is b's alone, after
        // the margin
        assertThat(
                byB
                    && ofA.contains(job)
                    && clock.instant().isBefore(Instant.parse("2026-11-30T10:00:32Z")))
            .as("b takes %s only after a's term", job)
            .isFalse();
      }
    }
    for (String job : JOBS) {
      assertThat(b.lease(job).held()).as(job).isTrue();
    }
  }

  @Test
  void aClaimThatReturnsAfterTheDeadline_doesNotCount() {
    boolean[] slow = {true};
    LeaseStore slowOnce =
        new LeaseStore() {
          @Override
          public void claimLeases(List<LeaseClaim> claims) {
            store.claimLeases(claims);
            if (slow[0]) {
              slow[0] = false;
              clock.advance(Duration.ofSeconds(9)); // returns after the deadline (2 s before)
            }
          }

          @Override
          public List<LeaseClaim> leaseClaims(long term) {
            return store.leaseClaims(term);
          }
        };
    Leases late = new Leases(slowOnce, "late", JOBS, TERM, clock);
    late.tick(); // :03 claims the term at :10; the claim returns at :12
    clock.advance(Duration.ofSeconds(3)); // :15, in the term its late claim was for
    assertThat(late.lease(Leases.ALERTS).held()).isFalse();
    clock.advance(Duration.ofSeconds(8)); // :23: it claimed the term at :20 in time (at :15)
    assertThat(late.lease(Leases.ALERTS).held()).isTrue();
  }

  @Test
  void aDeliveryThatWouldOutlastTheTerm_doesNotStartWhenTheNextTermGoesElsewhere() {
    Leases a = instance("a");
    a.tick();
    clock.advance(TERM);
    a.tick();
    assertThat(a.lease(Leases.ALERTS).held()).isTrue(); // :13, in the term at :10
    // Its next term is not decided yet (at :19): a delivery must end by then.
    assertThat(a.lease(Leases.ALERTS).heldFor(Duration.ofSeconds(5))).isTrue();
    assertThat(a.lease(Leases.ALERTS).heldFor(Duration.ofSeconds(7))).isFalse();
    // Once it is, and a won it again, a delivery may run into it (until :29).
    clock.advance(Duration.ofMillis(6500)); // :19.5
    assertThat(a.lease(Leases.ALERTS).heldFor(Duration.ofSeconds(9))).isTrue();
    assertThat(a.lease(Leases.ALERTS).heldFor(Duration.ofSeconds(10))).isFalse();
  }
}
