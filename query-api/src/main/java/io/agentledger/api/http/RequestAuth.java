package io.agentledger.api.http;

import io.agentledger.core.auth.ApiKeys;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** Before every API route: the API key decides the project; without a valid one, 401. */
public final class RequestAuth implements Handler {

  private final ApiKeys keys;

  public RequestAuth(ApiKeys keys) {
    this.keys = keys;
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
    RequestProject.set(ctx, project);
  }
}
