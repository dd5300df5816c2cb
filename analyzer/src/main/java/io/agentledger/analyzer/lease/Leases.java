package io.agentledger.analyzer.lease;

import io.agentledger.core.log.ThrottledLog;
import io.agentledger.store.LeaseClaim;
import io.agentledger.store.LeaseStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases on jobs shared through the store, for several analyzer instances: time is cut in terms of
 * {@code term}; during a term every instance claims the term after next for every job ({@link
 * LeaseStore#claimLeases}), and once the claims on a term are closed (a term before it begins) each
 * reads them and takes the jobs it won. The winner of a job is the claimant with the smallest hash
 * of (job, instance), so every reader picks the same one and the jobs spread over the instances.
 *
 * <p>Why it is safe without a compare-and-set (which ClickHouse lacks): claims on a term count only
 * when written at least {@code margin} before the term ahead of it begins (an instance whose claim
 * returned later runs nothing in that term), and claims are read no earlier than half a margin
 * before that. With clocks apart by less than a quarter of the margin, every reader sees every
 * counted claim, so two instances that both ran a job would each have to rank below the other. A
 * holder whose next term goes to another instance stops starting work half a margin before its term
 * ends, and the next holder starts {@code margin} after it began; a unit of work that must not
 * overlap asks for the time it needs ({@link Lease#heldFor}). The jobs' ids are deterministic
 * besides, so work that does overlap stores the same records.
 *
 * <p>Why two terms ahead: a holder must know whether it keeps the job before it starts work that
 * runs into the next term. Were the next term decided only at its end (claims on it closing just
 * before it begins), a holder could start nothing longer than the time left before that decision,
 * and every instance would pause for the length of its longest unit of work once a term. Decided a
 * term early, the next term is always known: a holder that keeps winning may start work of up to
 * nine tenths of a term at any moment. The price: a new instance runs nothing for its first two
 * terms, and a stopped instance's jobs move to another within three.
 *
 * <p>The margin is a fifth of the term.
 */
public final class Leases implements AutoCloseable {

  /** The anomaly detection cycle. */
  public static final String ANOMALIES = "anomalies";

  /** The alert rules' evaluation. */
  public static final String ALERTS = "alerts";

  /** The regression detection cycle. */
  public static final String REGRESSIONS = "regressions";

  /** Deleting delivered notifications. */
  public static final String RETENTION = "outbox-retention";

  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

  private final LeaseStore store;
  private final String holder;
  private final List<String> jobs;
  private final long termMillis;
  private final Duration margin;
  private final Clock clock;
  private final ThrottledLog warnings = new ThrottledLog(LOG, Duration.ofMinutes(1));
  private final Set<Long> counted = new HashSet<>(); // terms this instance's claims count in
  private final Map<Long, Set<String>> decisions = new HashMap<>(); // jobs won, by term
  private long claimed = Long.MIN_VALUE; // the latest term claimed
  private final LeasedSchedule schedule = new LeasedSchedule("analyzer-leases");

  /**
   * @param store where the claims are kept
   * @param holder this instance's id, unique among the instances
   * @param jobs every job this instance runs
   * @param term how long a term lasts
   */
  public Leases(
      LeaseStore store, String holder, Collection<String> jobs, Duration term, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.jobs = List.copyOf(jobs);
    this.termMillis = term.toMillis();
    if (termMillis < 10) {
      throw new IllegalArgumentException("a term must last at least 10 ms");
    }
    this.margin = Duration.ofMillis(termMillis / 5);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The job name of a sink's deliveries. */
  public static String sink(String name) {
    return "sink:" + name;
  }

  /** This instance's lease on a job. */
  public Lease lease(String job) {
    if (!jobs.contains(job)) {
      throw new IllegalArgumentException("not a job of these leases: " + job);
    }
    return needed -> heldFor(job, needed);
  }

  /** The jobs this instance holds now. */
  public synchronized Set<String> held() {
    tick();
    Set<String> out = new HashSet<>();
    jobs.forEach(
        j -> {
          if (holds(j, Duration.ZERO)) {
            out.add(j);
          }
        });
    return Set.copyOf(out);
  }

  synchronized boolean heldFor(String job, Duration needed) {
    tick();
    return holds(job, needed);
  }

  private boolean holds(String job, Duration needed) {
    Instant now = clock.instant();
    long term = termOf(now);
    if (!won(term, job)) {
      return false;
    }
    // A new holder waits for the margin (the previous one has stopped by then); a holder of the
    // previous term goes on at once.
    if (now.isBefore(start(term).plus(margin)) && !won(term - 1, job)) {
      return false;
    }
    // Until the first term not won (or not decided yet: the next one always is), less half a
    // margin: the next holder may start a margin after that term begins.
    long last = term;
    while (won(last + 1, job)) {
      last++;
    }
    Instant until = start(last + 1).minus(margin.dividedBy(2));
    return !now.plus(needed).isAfter(until);
  }

  private boolean won(long term, String job) {
    Set<String> w = decisions.get(term);
    return w != null && w.contains(job);
  }

  /**
   * Claims the term after next while claims on it count (until a margin before the next term
   * begins), and decides a term once its claims are closed (half a margin before the term ahead of
   * it begins: clocks must agree to within a quarter of the margin).
   */
  public synchronized void tick() {
    Instant now = clock.instant();
    long term = termOf(now);
    long target = term + 2;
    Instant deadline = closing(target);
    if (claimed < target && now.isBefore(deadline)) {
      try {
        List<LeaseClaim> claims = new ArrayList<>(jobs.size());
        jobs.forEach(j -> claims.add(new LeaseClaim(j, target, holder)));
        store.claimLeases(claims);
        claimed = target;
        if (clock.instant().isBefore(deadline)) {
          counted.add(target);
        }
      } catch (RuntimeException e) {
        warnings.warn("claim", "claiming leases failed, will retry: " + e);
      }
    }
    for (long t = term; t <= target; t++) {
      if (decisions.containsKey(t) || now.isBefore(closing(t).plus(margin.dividedBy(2)))) {
        continue;
      }
      if (!counted.contains(t)) {
        decisions.put(t, Set.of());
        continue;
      }
      try {
        decisions.put(t, winners(store.leaseClaims(t)));
      } catch (RuntimeException e) {
        warnings.warn("read", "reading leases failed, will retry: " + e);
      }
    }
    counted.removeIf(t -> t < term);
    decisions.keySet().removeIf(t -> t < term - 1);
  }

  /** When claims on a term stop counting: a margin before the term ahead of it begins. */
  private Instant closing(long term) {
    return start(term - 1).minus(margin);
  }

  private Set<String> winners(List<LeaseClaim> claims) {
    Map<String, List<String>> byJob = new HashMap<>();
    for (LeaseClaim c : claims) {
      byJob.computeIfAbsent(c.job(), j -> new ArrayList<>()).add(c.holder());
    }
    Set<String> mine = new HashSet<>();
    for (Map.Entry<String, List<String>> e : byJob.entrySet()) {
      String job = e.getKey();
      String first =
          e.getValue().stream()
              .min(Comparator.comparing((String h) -> rank(job, h)).thenComparing(h -> h))
              .orElseThrow();
      if (first.equals(holder)) {
        mine.add(job);
      }
    }
    return Set.copyOf(mine);
  }

  static String rank(String job, String holder) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((job + "\n" + holder).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private long termOf(Instant t) {
    return Math.floorDiv(t.toEpochMilli(), termMillis);
  }

  private Instant start(long term) {
    return Instant.ofEpochMilli(term * termMillis);
  }

  /** Claims and decides in the background, ten times a term, until {@link #close}. */
  public void start() {
    schedule.start(
        Duration.ZERO, Duration.ofMillis(Math.max(1, termMillis / 10)), Lease.ALWAYS, this::tick);
  }

  /** Stops claiming: the jobs move to other instances within three terms. */
  public void close(Duration timeout) {
    schedule.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
