package io.agentledger.store;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception a span store throws. {@link #retryable()} tells the caller whether
 * the same call may succeed later (the database was busy or unreachable) or never will (the
 * statement or the data was wrong); {@link StoreFailures} decides which, the same way for every
 * adapter.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /**
   * An error with its cause.
   *
   * @param message what failed
   * @param retryable whether the same call may succeed later
   * @param cause the underlying error, or null
   */
  public StoreException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * An error without a cause.
   *
   * @param message what failed
   * @param retryable whether the same call may succeed later
   */
  public StoreException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  /**
   * Whether the same call may succeed later (a timeout, a lost connection), so the caller may
   * retry.
   *
   * @return true when retrying may help
   */
  public boolean retryable() {
    return retryable;
  }
}
