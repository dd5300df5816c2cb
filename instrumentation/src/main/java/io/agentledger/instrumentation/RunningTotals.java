package io.agentledger.instrumentation;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Running spend per chain or per conversation, bounded: an entry untouched for {@code idleNanos} is
 * forgotten, and past {@code maxEntries} the least recently touched one goes first. A process that
 * serves conversations for months keeps only the recent ones.
 */
final class RunningTotals {

  /** A total and when it was last touched; changed only under the map's lock. */
  private static final class Entry {
    BigDecimal total;
    long touchedNanos;

    Entry(BigDecimal total, long touchedNanos) {
      this.total = total;
      this.touchedNanos = touchedNanos;
    }
  }

  private final int maxEntries;
  private final long idleNanos;
  private final LongSupplier nanoTime;

  // Access order: the eldest entry is the one touched longest ago.
  private final LinkedHashMap<String, Entry> totals = new LinkedHashMap<>(16, 0.75f, true);

  RunningTotals(int maxEntries, long idleNanos, LongSupplier nanoTime) {
    this.maxEntries = maxEntries;
    this.idleNanos = idleNanos;
    this.nanoTime = nanoTime;
  }

  synchronized BigDecimal get(String id) {
    long now = nanoTime.getAsLong();
    expire(now);
    Entry e = totals.get(id); // access order: moves it to the end
    if (e == null) {
      return BigDecimal.ZERO;
    }
    e.touchedNanos = now;
    return e.total;
  }

  synchronized void add(String id, BigDecimal amount) {
    long now = nanoTime.getAsLong();
    expire(now);
    Entry e = totals.get(id); // access order: moves it to the end
    if (e != null) {
      e.total = e.total.add(amount);
      e.touchedNanos = now;
      return; // no new entry: nothing to evict
    }
    totals.put(id, new Entry(amount, now));
    if (totals.size() <= maxEntries) {
      return;
    }
    Iterator<Map.Entry<String, Entry>> eldest = totals.entrySet().iterator();
    while (totals.size() > maxEntries && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
  }

  synchronized void remove(String id) {
    totals.remove(id);
  }

  synchronized int size() {
    expire(nanoTime.getAsLong());
    return totals.size();
  }

  private void expire(long now) {
    Iterator<Entry> it = totals.values().iterator();
    while (it.hasNext()) {
      if (now - it.next().touchedNanos <= idleNanos) {
        return; // the rest were touched later
      }
      it.remove();
    }
  }
}
