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

  private record Entry(BigDecimal total, long touchedNanos) {}

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
    Entry e = totals.get(id);
    if (e == null) {
      return BigDecimal.ZERO;
    }
    totals.put(id, new Entry(e.total(), now));
    return e.total();
  }

  synchronized void add(String id, BigDecimal amount) {
    long now = nanoTime.getAsLong();
    expire(now);
    Entry e = totals.get(id);
    totals.put(id, new Entry(e == null ? amount : e.total().add(amount), now));
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
      if (now - it.next().touchedNanos() <= idleNanos) {
        return; // the rest were touched later
      }
      it.remove();
    }
  }
}
