package io.agentledger.api.http;

import io.javalin.http.Context;

/** The project the request's API key belongs to, set by the authentication handler. */
public final class RequestProject {

  static final String ATTRIBUTE = "agentledger.project";

  private RequestProject() {}

  public static String of(Context ctx) {
    String project = ctx.attribute(ATTRIBUTE);
    if (project == null) {
      throw new IllegalStateException("no project: the route is not behind authentication");
    }
    return project;
  }

  static void set(Context ctx, String project) {
    ctx.attribute(ATTRIBUTE, project);
  }
}
