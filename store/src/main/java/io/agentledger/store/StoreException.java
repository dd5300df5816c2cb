package io.agentledger.store;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception a span store throws. {@link #retryable()} tells the caller whether
 * the same call may succeed later (the database was busy or unreachable) or never will.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public StoreException(String message, boolean retryable, @Nullable Throwable cause) {
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
