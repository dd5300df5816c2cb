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
    // At start nobody claimed this term or the next (claims on a term close a term early), so
    // nobody runs anything for two terms.
    for (String job : JOBS) {
      assertThat(holders(job, instances)).isEmpty();
    }
    clock.advance(TERM);
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
  void aHolderThatKeepsWinning_mayStartWorkOfNineTenthsOfATermAtAnyMoment() {
    Leases a = instance("a");
    Leases b = instance("b");
    List<Leases> both = List.of(a, b);
    both.forEach(Leases::tick); // :03 claims the term at :20
    clock.advance(TERM);
    both.forEach(Leases::tick); // :13 claims the term at :30
    clock.advance(TERM); // :23, in the first term claimed
    for (int i = 0; i < 600; i++) {
      clock.advance(Duration.ofMillis(100));
      for (String job : JOBS) {
        // Its next term is always decided by now: no instant, at a term's end or anywhere else,
        // when the holder may not start a delivery that runs into the next term.
        long ready =
            both.stream()
                .filter(l -> l.lease(job).heldFor(TERM.multipliedBy(9).dividedBy(10)))
                .count();
        assertThat(ready)
            .as("holders of %s ready for 9 s at %s", job, clock.instant())
            .isEqualTo(1);
      }
    }
  }

  @Test
  void aStoppedInstance_jobsMoveToAnotherWithinThreeTerms() {
    Leases a = instance("a");
    Leases b = instance("b");
    a.tick(); // :03 claims the term at :20
    b.tick();
    clock.advance(TERM);
    a.tick(); // :13 claims the term at :30
    b.tick();
    clock.advance(TERM);
    // :23: claims the term at :40 (in held())
    List<String> ofA = JOBS.stream().filter(j -> a.lease(j).held()).toList();
    List<String> ofB = JOBS.stream().filter(j -> b.lease(j).held()).toList();
    assertThat(ofA.size() + ofB.size()).isEqualTo(JOBS.size());
    assertThat(ofA).isNotEmpty();

    // a stops: it claims no more terms. Its last claim is on the term at :40; the term at :50 is
    // b's alone, after the margin. Never both.
    for (int i = 0; i < 60; i++) {
      clock.advance(Duration.ofMillis(500));
      for (String job : JOBS) {
        boolean byB = b.lease(job).held();
        assertThat(
                byB
                    && ofA.contains(job)
                    && clock.instant().isBefore(Instant.parse("2026-11-30T10:00:52Z")))
            .as("b takes %s only after a's terms", job)
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
              clock.advance(Duration.ofSeconds(9)); // returns after the deadline (:08)
            }
          }

          @Override
          public List<LeaseClaim> leaseClaims(long term) {
            return store.leaseClaims(term);
          }
        };
    Leases late = new Leases(slowOnce, "late", JOBS, TERM, clock);
    late.tick(); // :03 claims the term at :20; the claim returns at :12
    clock.advance(Duration.ofSeconds(3)); // :15: claims the term at :30 in time (before :18)
    assertThat(late.lease(Leases.ALERTS).held()).isFalse();
    clock.advance(Duration.ofSeconds(8)); // :23, in the term its late claim was for
    assertThat(late.lease(Leases.ALERTS).held()).isFalse();
    clock.advance(Duration.ofSeconds(10)); // :33, after the margin of a new holder
    assertThat(late.lease(Leases.ALERTS).held()).isTrue();
  }

  @Test
  void aDeliveryThatWouldOutlastTheTerm_doesNotStartWhenTheNextTermGoesElsewhere() {
    Leases a = instance("a");
    Leases b = instance("b");
    String job =
        JOBS.stream()
            .filter(j -> Leases.rank(j, "b").compareTo(Leases.rank(j, "a")) < 0)
            .findFirst()
            .orElseThrow();
    a.tick(); // :03 claims the term at :20; b starts later
    clock.advance(TERM);
    a.tick(); // :13: both claim the term at :30, which b wins
    b.tick();
    clock.advance(TERM);
    assertThat(a.lease(job).held()).isTrue(); // :23, in the term at :20
    // A delivery must end half a margin before the term b won (:29).
    assertThat(a.lease(job).heldFor(Duration.ofSeconds(6))).isTrue();
    assertThat(a.lease(job).heldFor(Duration.ofSeconds(7))).isFalse();
    clock.advance(Duration.ofMillis(6500)); // :29.5
    assertThat(a.lease(job).held()).isFalse();
    assertThat(b.lease(job).held()).isFalse();
    clock.advance(Duration.ofSeconds(2)); // :31.5, within b's margin: a has stopped by then
    assertThat(b.lease(job).held()).isFalse();
    clock.advance(Duration.ofSeconds(1)); // :32.5
    assertThat(b.lease(job).held()).isTrue();
    assertThat(a.lease(job).held()).isFalse();
  }
}
