package io.agentledger.instrumentation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PriceCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The prices a project is billed at: the query API's {@code GET /api/v1/prices} (the catalog in
 * force plus the project's overrides set with {@code PUT /prices/{provider}/{model}}), for pricing
 * calls locally the way AgentLedger will ({@link AgentLedger.Builder#prices}). {@link
 * AgentLedger#fromEnvironment()} does this itself when {@code AGENTLEDGER_API_URL} is set.
 *
 * <pre>{@code
 * PriceCatalog prices = ProjectPrices.fetch(URI.create("http://localhost:8080"), apiKey);
 * AgentLedger ledger = AgentLedger.builder().tracerProvider(provider).prices(prices)
 *     .budget(BudgetGuard.perChain(new BigDecimal("0.50"))).build();
 * }</pre>
 *
 * <p>The prices are read once; overrides set later are seen by a ledger built later.
 */
public final class ProjectPrices {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private ProjectPrices() {}

  /**
   * Reads the project's prices from the query API.
   *
   * @param apiUrl the query API's base URL, e.g. {@code http://localhost:8080} (the path {@code
   *     /api/v1/prices} is added)
   * @param apiKey the project's API key
   * @return the catalog in force for the key's project, its overrides first
   * @throws IOException when the API cannot be reached or does not answer 200 with a catalog
   */
  public static PriceCatalog fetch(URI apiUrl, String apiKey) throws IOException {
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(apiKey, "apiKey");
    String base = apiUrl.toString().replaceAll("/+$", "");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/prices"))
            .header("Authorization", "Bearer " + apiKey)
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + request.uri(), e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + request.uri() + " answered " + response.statusCode() + " (is the key right?)");
    }
    try {
      return read(JSON.readTree(response.body()));
    } catch (RuntimeException e) {
      throw new IOException("GET " + request.uri() + " is not a price catalog: " + e, e);
    }
  }

  /** {@code GET /prices}' body: overrides and catalog entries, each with its {@code source}. */
  static PriceCatalog read(JsonNode body) {
    String version = body.path("catalogVersion").asText("project");
    version =
        version.endsWith("+overrides") ? version.substring(0, version.length() - 10) : version;
    List<ModelPricing> catalog = new ArrayList<>();
    List<ModelPricing> overrides = new ArrayList<>();
    for (JsonNode model : body.path("models")) {
      ModelPricing pricing = ModelPricing.fromJson(catalogEntry(model).toString());
      ("override".equals(model.path("source").asText()) ? overrides : catalog).add(pricing);
    }
    if (catalog.isEmpty()) {
      throw new IllegalArgumentException("no models");
    }
    return PriceCatalog.of(version, catalog).withOverrides(overrides);
  }

  /** The API nests a tier's rates under {@code prices}; the catalog format has them inline. */
  private static JsonNode catalogEntry(JsonNode model) {
    ObjectNode entry = model.deepCopy();
    for (JsonNode period : entry.path("prices")) {
      for (JsonNode tier : period.path("tiers")) {
        if (tier instanceof ObjectNode t && t.get("prices") instanceof ObjectNode rates) {
          t.remove("prices");
          for (Map.Entry<String, JsonNode> e : rates.properties()) {
            t.set(e.getKey(), e.getValue());
          }
        }
      }
    }
    return entry;
  }
}
