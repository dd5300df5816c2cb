package io.agentledger.api.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One API endpoint: how it is served and how it is documented. The OpenAPI document is generated
 * from the same list the router registers, so no route can be missing from it.
 *
 * @param path Javalin path under the API root, e.g. {@code /chains/{traceId}}
 * @param response the record type of the 200 response body (documented by reflection)
 * @param requestBody the record type of the request body, or null
 */
public record ApiRoute(
    HandlerType method,
    String path,
    String operationId,
    String summary,
    List<ApiParam> params,
    @Nullable Class<?> requestBody,
    Class<?> response,
    Handler handler) {

  public ApiRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(handler, "handler");
    params = List.copyOf(params);
  }

  public static ApiRoute get(
      String path,
      String operationId,
      String summary,
      List<ApiParam> params,
      Class<?> response,
      Handler handler) {
    return new ApiRoute(
        HandlerType.GET, path, operationId, summary, params, null, response, handler);
  }

  /** A documented parameter. {@code in} is {@code query} or {@code path}. */
  public record ApiParam(
      String name, String in, boolean required, String type, String description) {

    public static ApiParam query(String name, String type, String description) {
      return new ApiParam(name, "query", false, type, description);
    }

    public static ApiParam path(String name, String description) {
      return new ApiParam(name, "path", true, "string", description);
    }
  }
}
