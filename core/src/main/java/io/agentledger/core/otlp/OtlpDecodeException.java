package io.agentledger.core.otlp;

import io.agentledger.core.CoreException;

/**
 * A request body that is not a valid OTLP trace export. The message names what is wrong and, for
 * JSON, where ({@code resourceSpans[0].scopeSpans[1].spans[3].traceId: ...}). Never retryable: the
 * same bytes will fail the same way.
 */
public final class OtlpDecodeException extends CoreException {
  private static final long serialVersionUID = 1L;

  public OtlpDecodeException(String message) {
    super(message);
  }

  public OtlpDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
