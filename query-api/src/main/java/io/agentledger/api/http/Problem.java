package io.agentledger.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * An error answered as RFC 7807 problem details ({@code application/problem+json}). Throw it from a
 * handler; the API turns it into the response.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;
  private final @Nullable String field;

  public Problem(int status, String title, @Nullable String detail) {
    this(status, title, detail, null);
  }

  private Problem(int status, String title, @Nullable String detail, @Nullable String field) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.field = field;
  }

  /** A 400 about one field of the request body, named in the answer's {@code field} member. */
  public static Problem badField(String field, String detail) {
    return new Problem(400, "Bad Request", field + ": " + detail, field);
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

  /**
   * The JSON body: {@code type, title, status, detail, instance}, and {@code field} (the request
   * body's field at fault) when the problem is about one.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Body(
      String type,
      String title,
      int status,
      @Nullable String detail,
      String instance,
      @Nullable String field) {}

  public Body body(String instance) {
    return new Body("about:blank", title, status, detail(), instance, field);
  }
}
