package io.agentledger.store;

/**
 * The root of every exception a span store throws. {@link #retryable()} tells the caller whether
 * the same call may succeed later (the database was busy or unreachable) or never will (the
 * statement or the data was wrong); {@link StoreFailures} decides which, the same way for every
 * adapter.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public StoreException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public StoreException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }
}
