package io.agentledger.standalone.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Plain HTTP calls to a running standalone, as a user's script would make them. */
final class ApiClient {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, content type and parsed body. */
  record Reply(int status, String contentType, JsonNode body, String raw) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;

  ApiClient(URI base) {
    this.base = base;
  }

  Reply get(String pathAndQuery, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return send(b.build());
  }

  Reply put(String path, String key, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  String text(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(base.resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = null;
    if (!r.body().isEmpty()) {
      try {
        body = JSON.readTree(r.body());
      } catch (Exception e) {
        body = null;
      }
    }
    return new Reply(
        r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body, r.body());
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
