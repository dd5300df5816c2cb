package io.agentledger.core.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies held in memory across all requests. A request reserves before it reads
 * (the declared size), grows its reservation while it reads and inflates, and gives everything back
 * when it is answered, so the sum of what requests hold never exceeds the budget, however many
 * arrive at once.
 *
 * <p>A budget may have a parent (one budget per project inside the shared one): a reservation then
 * takes from both, so no project can hold more than its share of the whole.
 */
public final class ByteBudget {

  private final long capacity;
  private final ByteBudget parent;
  private final AtomicLong reserved = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();

  public ByteBudget(long capacity) {
    this(capacity, null);
  }

  /**
   * @param parent also charged for every reservation of this budget, or null
   */
  public ByteBudget(long capacity, ByteBudget parent) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
    this.parent = parent;
  }

  /**
   * The most one reservation could ever hold: the smallest capacity of this budget and its parents.
   * A request that needs more can never be served, however long it waits.
   */
  public long ceiling() {
    return parent == null ? capacity : Math.min(capacity, parent.ceiling());
  }

  /** The most bytes ever reserved at once. */
  public long peak() {
    return peak.get();
  }

  public long capacity() {
    return capacity;
  }

  /** Bytes reserved now by all requests. */
  public long reserved() {
    return reserved.get();
  }

  /**
   * A reservation of {@code bytes}, or null when the budget has not that much left.
   *
   * @param bytes at least zero
   */
  public Reservation tryReserve(long bytes) {
    if (!take(bytes)) {
      return null;
    }
    return new Reservation(bytes);
  }

  private boolean take(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative");
    }
    while (true) {
      long now = reserved.get();
      long next = now + bytes;
      if (next > capacity || next < 0) {
        return false;
      }
      if (reserved.compareAndSet(now, next)) {
        if (parent != null && !parent.take(bytes)) {
          reserved.addAndGet(-bytes);
          return false;
        }
        peak.accumulateAndGet(next, Math::max);
        return true;
      }
    }
  }

  private void give(long bytes) {
    reserved.addAndGet(-bytes);
    if (parent != null) {
      parent.give(bytes);
    }
  }

  /** Bytes one request holds; {@link #close()} gives them back (once). */
  public final class Reservation implements AutoCloseable {
    private long held;
    private boolean closed;

    private Reservation(long held) {
      this.held = held;
    }

    public synchronized long held() {
      return held;
    }

    /** See {@link ByteBudget#ceiling()}. */
    public long ceiling() {
      return ByteBudget.this.ceiling();
    }

    /**
     * Holds at least {@code total} bytes from now on.
     *
     * @return false, holding what it held before, when the budget has not enough left
     */
    public synchronized boolean growTo(long total) {
      if (closed) {
        throw new IllegalStateException("reservation already released");
      }
      if (total <= held) {
        return true;
      }
      if (!take(total - held)) {
        return false;
      }
      held = total;
      return true;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        give(held);
        held = 0;
      }
    }
  }
}
