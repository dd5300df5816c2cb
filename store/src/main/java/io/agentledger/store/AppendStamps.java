package io.agentledger.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Store times of appends, and how far store time is complete, for an adapter to answer {@link
 * PipelineState#committedUpTo}. An append takes a {@link Stamp} before it writes what it stamps and
 * closes it once that write has committed or failed; until then {@link #committedUpTo} stays before
 * the stamp. The settler takes a chain as idle from its store time, so without this it could pass a
 * stamp whose write becomes visible later than the idle time (a large insert on a loaded machine)
 * and never settle those spans.
 *
 * <p>Stamps are whole microseconds (what both adapters store) from the clock, but never earlier
 * than the previous stamp, nor at or before a bound {@link #committedUpTo} has returned: an append
 * that begins after the settler asked is stamped after what the settler passes. Appends of other
 * processes (several collectors on one ClickHouse) are not seen here.
 */
public final class AppendStamps {

  private final Clock clock;
  private final TreeMap<Long, Integer> inFlight = new TreeMap<>(); // stamp (µs) → appends
  private long lastMicros;
  private long boundMicros = Long.MIN_VALUE;

  /**
   * @param clock the store's clock
   * @param lastMicros the newest store time already stored (µs since the epoch), or 0
   */
  public AppendStamps(Clock clock, long lastMicros) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastMicros = lastMicros;
  }

  /**
   * Stamps an append that is about to write; close the stamp once the write committed or failed.
   *
   * @return the append's store time, in flight until closed
   */
  public synchronized Stamp begin() {
    long micros = Math.max(micros(clock.instant()), lastMicros);
    if (boundMicros != Long.MIN_VALUE) {
      micros = Math.max(micros, boundMicros + 1);
    }
    lastMicros = micros;
    inFlight.merge(micros, 1, Integer::sum);
    return new Stamp(micros);
  }

  /**
   * {@code upTo}, or the microsecond before the oldest stamp still in flight if that is earlier.
   *
   * @param upTo the latest store time the caller wants
   * @return the latest store time, at most {@code upTo}, that no append of this store still writes
   */
  public synchronized Instant committedUpTo(Instant upTo) {
    Instant bound = upTo;
    if (!inFlight.isEmpty()) {
      Instant beforeOldest = instantOfMicros(inFlight.firstKey() - 1);
      if (beforeOldest.isBefore(bound)) {
        bound = beforeOldest;
      }
    }
    boundMicros = Math.max(boundMicros, micros(bound));
    return bound;
  }

  private synchronized void finish(long micros) {
    inFlight.computeIfPresent(micros, (k, n) -> n == 1 ? null : n - 1);
  }

  /** Whole microseconds since the epoch, rounded down. */
  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
  }

  private static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** The store time of one append, in flight until {@link #close}d (closing twice is harmless). */
  public final class Stamp implements AutoCloseable {

    private final long micros;
    private boolean closed;

    private Stamp(long micros) {
      this.micros = micros;
    }

    /**
     * The store time in whole microseconds.
     *
     * @return microseconds since the epoch
     */
    public long micros() {
      return micros;
    }

    /**
     * The store time.
     *
     * @return the stamp as an instant
     */
    public Instant instant() {
      return instantOfMicros(micros);
    }

    @Override
    public void close() {
      synchronized (AppendStamps.this) {
        if (!closed) {
          closed = true;
          finish(micros);
        }
      }
    }
  }
}
