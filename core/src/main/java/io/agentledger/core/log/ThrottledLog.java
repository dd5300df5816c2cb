package io.agentledger.core.log;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warnings that may repeat at request rate (a client sending bad bodies, a tenant over its limit):
 * at most one log line per reason per interval, saying how many were suppressed since the last one.
 * Reasons must be a closed set (constants in the calling code), never client input.
 */
public final class ThrottledLog {

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public ThrottledLog(Logger log, Duration interval, LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  public ThrottledLog(Logger log, Duration interval) {
    this(log, interval, System::nanoTime);
  }

  /**
   * Logs {@code detail} under {@code reason} unless that reason was logged less than an interval
   * ago; then only counts it.
   *
   * @return true when a line was written
   */
  public boolean warn(String reason, String detail) {
    return warn(reason, detail, null);
  }

  /** As {@link #warn(String, String)}, with the exception's stack trace on the lines written. */
  public boolean warn(String reason, String detail, Throwable error) {
    Window w = windows.computeIfAbsent(reason, r -> new Window());
    long suppressed;
    synchronized (w) {
      long now = nanoTime.getAsLong();
      if (w.loggedAt != Long.MIN_VALUE && now - w.loggedAt < intervalNanos) {
        w.suppressed++;
        return false;
      }
      suppressed = w.suppressed;
      w.suppressed = 0;
      w.loggedAt = now;
    }
    if (suppressed > 0) {
      log.warn("{}: {} ({} more since the last report)", reason, detail, suppressed, error);
    } else {
      log.warn("{}: {}", reason, detail, error);
    }
    return true;
  }

  private static final class Window {
    long loggedAt = Long.MIN_VALUE;
    long suppressed;
  }
}
