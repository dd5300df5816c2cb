package io.agentledger.core.span;

import java.util.Objects;

/**
 * A span's outcome.
 *
 * @param errorType the {@code error.type} attribute (or the exception type) when the span failed,
 *     else empty
 */
public record SpanStatus(StatusCode code, String message, String errorType) {

  public static final SpanStatus UNSET = new SpanStatus(StatusCode.UNSET, "", "");

  public SpanStatus {
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
    errorType = errorType == null ? "" : errorType;
  }

  public boolean isError() {
    return code == StatusCode.ERROR;
  }
}
