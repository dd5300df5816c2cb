package io.agentledger.api.openapi;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.Problem;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the OpenAPI 3.0 document from the route table and, by reflection, from the record types
 * the routes answer with — so the document cannot drift from the code.
 */
public final class OpenApiDocument {

  private final ObjectMapper mapper = new ObjectMapper();
  private final ObjectNode schemas = mapper.createObjectNode();

  private OpenApiDocument() {}

  /**
   * @param apiRoot the prefix of every route path, e.g. {@code /api/v1}
   * @param unauthenticated extra paths without auth, documented as plain text or JSON
   */
  public static ObjectNode build(
      String version, String apiRoot, List<ApiRoute> routes, Map<String, String> unauthenticated) {
    return new OpenApiDocument().document(version, apiRoot, routes, unauthenticated);
  }

  private ObjectNode document(
      String version, String apiRoot, List<ApiRoute> routes, Map<String, String> unauthenticated) {
    ObjectNode doc = mapper.createObjectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", "AgentLedger API");
    info.put("version", version);
    info.put(
        "description",
        "Cost attribution and tracing for AI agents. Times are ISO-8601 UTC; costs are USD; errors are RFC 7807 problem details.");
    ObjectNode paths = doc.putObject("paths");
    for (ApiRoute route : routes) {
      String path = apiRoot + route.path();
      ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
      ObjectNode op = item.putObject(route.method().name().toLowerCase(Locale.ROOT));
      op.put("operationId", route.operationId());
      op.put("summary", route.summary());
      op.putArray("security").addObject().putArray("bearerAuth");
      ArrayNode params = op.putArray("parameters");
      for (ApiRoute.ApiParam p : route.params()) {
        ObjectNode param = params.addObject();
        param.put("name", p.name());
        param.put("in", p.in());
        param.put("required", p.required());
        param.put("description", p.description());
        param.set("schema", scalar(p.type()));
      }
      if (route.requestBody() != null) {
        ObjectNode body = op.putObject("requestBody");
        body.put("required", true);
        body.putObject("content")
            .putObject("application/json")
            .set("schema", ref(route.requestBody()));
      }
      ObjectNode responses = op.putObject("responses");
      ObjectNode ok = responses.putObject("200");
      ok.put("description", "OK");
      ok.putObject("content").putObject("application/json").set("schema", ref(route.response()));
      for (String code : List.of("400", "401", "404", "500")) {
        ObjectNode r = responses.putObject(code);
        r.put("description", problemDescription(code));
        r.putObject("content")
            .putObject("application/problem+json")
            .set("schema", ref(Problem.Body.class));
      }
    }
    unauthenticated.forEach(
        (path, description) -> {
          ObjectNode op = paths.putObject(path).putObject("get");
          op.put("summary", description);
          op.putArray("security");
          op.putObject("responses").putObject("200").put("description", "OK");
        });
    ObjectNode components = doc.putObject("components");
    ObjectNode bearer = components.putObject("securitySchemes").putObject("bearerAuth");
    bearer.put("type", "http");
    bearer.put("scheme", "bearer");
    bearer.put(
        "description", "An API key: Authorization: Bearer <key>. Each key belongs to one project.");
    components.set("schemas", schemas);
    return doc;
  }

  private static String problemDescription(String code) {
    return switch (code) {
      case "400" -> "Invalid parameters";
      case "401" -> "Missing or unknown API key";
      case "404" -> "Not found in this project";
      default -> "Server error";
    };
  }

  private ObjectNode scalar(String type) {
    ObjectNode s = mapper.createObjectNode();
    switch (type) {
      case "date-time" -> {
        s.put("type", "string");
        s.put("description", "ISO-8601 time or epoch milliseconds");
      }
      case "integer", "number", "boolean" -> s.put("type", type);
      default -> s.put("type", "string");
    }
    return s;
  }

  private ObjectNode ref(Class<?> type) {
    String name = schemaName(type);
    if (!schemas.has(name)) {
      schemas.putObject(name); // placeholder first: records may refer to themselves
      schemas.set(name, objectSchema(type));
    }
    ObjectNode ref = mapper.createObjectNode();
    ref.put("$ref", "#/components/schemas/" + name);
    return ref;
  }

  private static String schemaName(Class<?> type) {
    Class<?> enclosing = type.getEnclosingClass();
    String simple = type.getSimpleName();
    if (enclosing != null
        && !enclosing.getSimpleName().endsWith("Routes")
        && !enclosing.getSimpleName().equals("Views")) {
      return enclosing.getSimpleName() + simple;
    }
    return simple;
  }

  private ObjectNode objectSchema(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record: document responses as records");
    }
    ObjectNode schema = mapper.createObjectNode();
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    addProperties(type, properties);
    return schema;
  }

  private void addProperties(Class<?> type, ObjectNode properties) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.isAnnotationPresent(JsonUnwrapped.class)
          || c.getAccessor().isAnnotationPresent(JsonUnwrapped.class)) {
        addProperties(c.getType(), properties);
      } else {
        properties.set(c.getName(), schemaFor(c.getGenericType()));
      }
    }
  }

  private ObjectNode schemaFor(Type type) {
    ObjectNode s = mapper.createObjectNode();
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (Collection.class.isAssignableFrom(raw)) {
        s.put("type", "array");
        s.set("items", schemaFor(p.getActualTypeArguments()[0]));
        return s;
      }
      if (Map.class.isAssignableFrom(raw)) {
        s.put("type", "object");
        s.set("additionalProperties", schemaFor(p.getActualTypeArguments()[1]));
        return s;
      }
      throw new IllegalArgumentException("cannot document " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      s.put("type", "string");
      s.put("nullable", true);
    } else if (c == Instant.class) {
      s.put("type", "string");
      s.put("format", "date-time");
    } else if (c == LocalDate.class) {
      s.put("type", "string");
      s.put("format", "date");
    } else if (c == BigDecimal.class) {
      s.put("type", "number");
      s.put("nullable", true);
    } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      s.put("type", "integer");
      s.put("format", c == int.class || c == Integer.class ? "int32" : "int64");
    } else if (c == double.class || c == Double.class) {
      s.put("type", "number");
      s.put("format", "double");
    } else if (c == boolean.class || c == Boolean.class) {
      s.put("type", "boolean");
    } else if (c.isRecord()) {
      return ref(c);
    } else {
      throw new IllegalArgumentException("cannot document " + c);
    }
    return s;
  }
}
