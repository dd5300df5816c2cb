package io.agentledger.api.http;

import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.limits.TenantLimiter;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Before every API route: the API key decides the project; without a valid one, 401. Then the
 * project's concurrency and rate limits: above them, 429 with {@code Retry-After}.
 */
public final class RequestAuth implements Handler {

  private static final String PERMIT = "agentledger.permit";

  private final ApiKeys keys;
  private final TenantLimiter limiter;

  public RequestAuth(ApiKeys keys, TenantLimiter limiter) {
    this.keys = keys;
    this.limiter = limiter;
  }

  @Override
  public void handle(Context ctx) {
    String project =
        keys.projectForAuthorization(ctx.header("Authorization"))
            .orElseThrow(
                () -> {
                  ctx.header("WWW-Authenticate", "Bearer realm=\"agentledger\"");
                  return new Problem(
                      401,
                      "Unauthorized",
                      "a valid API key is required: Authorization: Bearer <key>");
                });
    TenantLimiter.Admission admission = limiter.admit(project);
    if (!admission.admitted()) {
      ctx.header("Retry-After", Long.toString(admission.refusal().retryAfter().toSeconds()));
      throw new Problem(429, "Too Many Requests", admission.refusal().reason() + "; retry later");
    }
    ctx.attribute(PERMIT, admission.permit());
    RequestProject.set(ctx, project);
  }

  /** Ends the request's admission, if it had one; call once the request is answered. */
  public static void release(Context ctx) {
    TenantLimiter.Permit permit = ctx.attribute(PERMIT);
    if (permit != null) {
      permit.close();
    }
  }
}
