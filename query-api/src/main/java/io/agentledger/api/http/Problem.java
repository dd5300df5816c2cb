package io.agentledger.api.http;

import org.jspecify.annotations.Nullable;

/**
 * An error answered as RFC 7807 problem details ({@code application/problem+json}). Throw it from a
 * handler; the API turns it into the response.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;

  public Problem(int status, String title, @Nullable String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
  }

  public static Problem badRequest(@Nullable String detail) {
    return new Problem(400, "Bad Request", detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not Found", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public @Nullable String detail() {
    return getMessage();
  }

  /** The JSON body: {@code type, title, status, detail, instance}. */
  public record Body(
      String type, String title, int status, @Nullable String detail, String instance) {}

  public Body body(String instance) {
    return new Body("about:blank", title, status, detail(), instance);
  }
}
