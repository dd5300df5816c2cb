package io.agentledger.instrumentation;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Running spend per chain or per conversation, bounded: an entry untouched for {@code idleNanos} is
 * forgotten, and past {@code maxEntries} the least recently touched one goes first. A process that
 * serves conversations for months keeps only the recent ones.
 */
final class RunningTotals {

  /** A total and when it was last touched; changed only under the map's lock. */
  private static final class Entry {
    final DecimalSum total = new DecimalSum(true);
    long touchedNanos;

    Entry(long touchedNanos) {
      this.touchedNanos = touchedNanos;
    }
  }

  private final int maxEntries;
  private final long idleNanos;

  // Access order: the eldest entry is the one touched longest ago.
  private final LinkedHashMap<String, Entry> totals = new LinkedHashMap<>(16, 0.75f, true);
  // No entry was touched before this: until it is idleNanos old, nothing can have expired.
  private long oldestTouchedNanos;

  RunningTotals(int maxEntries, long idleNanos) {
    this.maxEntries = maxEntries;
    this.idleNanos = idleNanos;
  }

  /** The total, zero when unknown; touches it. */
  synchronized BigDecimal get(String id, long now) {
    Entry e = touch(id, now);
    return e == null ? BigDecimal.ZERO : e.total.value();
  }

  /** {@link DecimalSum#exceeds(long, int, DecimalSum.Limit)} of the total; touches it. */
  synchronized boolean exceeds(
      String id, long now, long estimate, int scale, DecimalSum.Limit max) {
    Entry e = touch(id, now);
    return e == null
        ? new DecimalSum(true).exceeds(estimate, scale, max)
        : e.total.exceeds(estimate, scale, max);
  }

  /** {@link DecimalSum#exceeds(BigDecimal, BigDecimal)} of the total; touches it. */
  synchronized boolean exceeds(String id, long now, BigDecimal estimate, BigDecimal max) {
    Entry e = touch(id, now);
    return e == null ? new DecimalSum(true).exceeds(estimate, max) : e.total.exceeds(estimate, max);
  }

  /** Adds {@code amount × 10^-scale}. */
  synchronized void add(String id, long now, long amount, int scale) {
    entry(id, now).total.add(amount, scale);
  }

  synchronized void add(String id, long now, BigDecimal amount) {
    entry(id, now).total.add(amount);
  }

  synchronized void remove(String id) {
    totals.remove(id);
  }

  synchronized int size(long now) {
    expire(now);
    return totals.size();
  }

  private @Nullable Entry touch(String id, long now) {
    expire(now);
    Entry e = totals.get(id); // access order: moves it to the end
    if (e != null) {
      e.touchedNanos = now;
    }
    return e;
  }

  private Entry entry(String id, long now) {
    Entry e = touch(id, now);
    if (e != null) {
      return e; // no new entry: nothing to evict
    }
    if (totals.isEmpty()) {
      oldestTouchedNanos = now;
    }
    e = new Entry(now);
    totals.put(id, e);
    if (totals.size() > maxEntries) {
      Iterator<Map.Entry<String, Entry>> eldest = totals.entrySet().iterator();
      while (totals.size() > maxEntries && eldest.hasNext()) {
        eldest.next();
        eldest.remove();
      }
    }
    return e;
  }

  private void expire(long now) {
    if (totals.isEmpty() || now - oldestTouchedNanos <= idleNanos) {
      return; // the common case, without an iterator
    }
    Iterator<Entry> it = totals.values().iterator();
    while (it.hasNext()) {
      long touched = it.next().touchedNanos;
      if (now - touched <= idleNanos) {
        oldestTouchedNanos = touched; // the rest were touched later
        return;
      }
      it.remove();
    }
  }
}
