package io.agentledger.collector.otlp;

import org.jspecify.annotations.Nullable;

/** A request body over the size limit, as sent or once decompressed. */
final class RequestTooLargeException extends Exception {
  private static final long serialVersionUID = 1L;

  RequestTooLargeException(@Nullable String message) {
    super(message);
  }
}
