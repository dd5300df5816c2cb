package io.agentledger.core;

/**
 * The root of every exception the core library throws. Unchecked: callers at the edges (the HTTP
 * receiver, the Kafka consumer) catch it and turn it into a clear error or a dead letter.
 */
public class CoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CoreException(String message) {
    super(message);
  }

  public CoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
