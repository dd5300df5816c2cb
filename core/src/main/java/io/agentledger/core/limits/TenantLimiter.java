package io.agentledger.core.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-project request limits, so one tenant cannot starve another: at most {@code maxConcurrent}
 * requests of a project in progress at once, and at most {@code ratePerSecond} requests a second on
 * average with bursts up to {@code burst} (a token bucket). Projects come from the configured API
 * keys only (after authentication), so the table stays as small as the key list.
 */
public final class TenantLimiter {

  /**
   * @param maxConcurrent requests in progress per project; 0 turns the limit off
   * @param ratePerSecond average requests a second per project; 0 turns the limit off
   * @param burst requests a project may make at once above the average
   */
  public record Limits(int maxConcurrent, double ratePerSecond, int burst) {
    public Limits {
      if (maxConcurrent < 0 || ratePerSecond < 0 || burst < 1) {
        throw new IllegalArgumentException(
            "maxConcurrent and ratePerSecond must not be negative, burst at least 1");
      }
    }

    public static Limits unlimited() {
      return new Limits(0, 0, 1);
    }
  }

  /** Why a request was refused, and when the client should retry. */
  public record Refusal(String reason, Duration retryAfter) {}

  private final Limits limits;
  private final LongSupplier nanoTime;
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

  /**
   * @param nanoTime a monotonic clock ({@code System::nanoTime}); injected for tests
   */
  public TenantLimiter(Limits limits, LongSupplier nanoTime) {
    this.limits = limits;
    this.nanoTime = nanoTime;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Admits one request of {@code project}: a permit to close when the request is answered, or the
   * refusal.
   */
  public Admission admit(String project) {
    return tenants.computeIfAbsent(project, p -> new Tenant()).admit();
  }

  /** The outcome of {@link #admit}: exactly one of {@link #permit} and {@link #refusal} is set. */
  public record Admission(Permit permit, Refusal refusal) {
    public boolean admitted() {
      return permit != null;
    }
  }

  private final class Tenant {
    private int inProgress;
    private double tokens = limits.burst();
    private long refilledAt = nanoTime.getAsLong();

    synchronized Admission admit() {
      if (limits.maxConcurrent() > 0 && inProgress >= limits.maxConcurrent()) {
        return new Admission(
            null,
            new Refusal(
                "more than " + limits.maxConcurrent() + " requests of this project in progress",
                Duration.ofSeconds(1)));
      }
      if (limits.ratePerSecond() > 0) {
        long now = nanoTime.getAsLong();
        tokens =
            Math.min(limits.burst(), tokens + (now - refilledAt) / 1e9 * limits.ratePerSecond());
        refilledAt = now;
        if (tokens < 1) {
          long waitSeconds = (long) Math.ceil((1 - tokens) / limits.ratePerSecond());
          return new Admission(
              null,
              new Refusal(
                  "more than "
                      + formatRate(limits.ratePerSecond())
                      + " requests a second for this project",
                  Duration.ofSeconds(Math.max(1, waitSeconds))));
        }
        tokens -= 1;
      }
      inProgress++;
      return new Admission(new TenantPermit(this), null);
    }

    synchronized void release() {
      inProgress--;
    }
  }

  private static String formatRate(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  /** One admitted request; {@link #close()} (idempotent) ends it. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private static final class TenantPermit implements Permit {
    private final Tenant tenant;
    private boolean closed;

    TenantPermit(Tenant tenant) {
      this.tenant = tenant;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        tenant.release();
      }
    }
  }
}
