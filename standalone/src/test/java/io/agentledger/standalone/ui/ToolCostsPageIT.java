package io.agentledger.standalone.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import io.agentledger.standalone.ui.Chromium.Page;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain page shows tool costs and the MCP server of an MCP tool call, in a real headless
 * Chromium, for the chain the real {@code @openai/agents} + {@code @modelcontextprotocol/sdk}
 * exported (core's {@code fixtures/otlp/mcp}: the client's export and the server's {@code
 * tools/call} span) with a project price for the tool ({@code get_forecast}, $0.002 a call).
 * Screenshot: {@code target/ui-screenshots/chain-tool-costs.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolCostsPageIT {

  static final String KEY = "toolpage-key-0123456789abcdef";

  Standalone app;
  Chromium chromium;
  Page page;
  final HttpClient http = HttpClient.newHttpClient();
  String trace;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dir.resolve("data").toString());
    env.put("AGENTLEDGER_API_KEYS", "toolpage:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    app = Standalone.start(StandaloneConfig.from(env));
    HttpResponse<String> price =
        send(
            HttpRequest.newBuilder(URI.create(app.apiBase() + "/api/v1/prices/tools/get_forecast"))
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"perCallUsd\": 0.002, \"effectiveFrom\": \"2020-01-01\"}")));
    assertThat(price.statusCode()).as(price.body()).isEqualTo(200);
    for (String fixture : new String[] {"01-agent-mcp-tool.binpb", "02-agent-mcp-tool.binpb"}) {
      byte[] body;
      try (InputStream in = getClass().getResourceAsStream("/fixtures/otlp/mcp/" + fixture)) {
        assertThat(in).as(fixture).isNotNull();
        body = in.readAllBytes();
      }
      trace =
          io.agentledger.core.otlp.HexIds.toHex(
              ExportTraceServiceRequest.parseFrom(body)
                  .getResourceSpans(0)
                  .getScopeSpans(0)
                  .getSpans(0)
                  .getTraceId());
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(app.tracesEndpoint())
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    // 404 until the chain is stored: the answer is asserted again until the deadline.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> get("/chains/" + trace).path("toolCostUsd").decimalValue().signum() > 0);
    chromium = Chromium.launch(dir.resolve("chromium-profile"));
  }

  @AfterAll
  void stop() throws Exception {
    if (page != null) {
      page.close();
    }
    if (chromium != null) {
      chromium.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void chainPage_showsToolCostsAndTheMcpServerOfTheToolCall() throws Exception {
    JsonNode chain = get("/chains/" + trace);
    assertThat(chain.path("toolCostUsd").decimalValue()).isEqualByComparingTo("0.002");
    String tool = null;
    for (JsonNode n : get("/chains/" + trace + "/decisions").path("nodes")) {
      if (n.path("kind").asText().equals("tool") && !n.path("server").asText().isEmpty()) {
        assertThat(n.path("server").asText()).isEqualTo("weather-mcp");
        tool = n.path("spanId").asText();
      }
    }
    assertThat(tool).as("an MCP tool node").isNotNull();

    page = chromium.newPage(1400, 1100);
    page.navigate(app.apiBase() + "/ui/#/chain/" + trace);
    page.awaitTrue("document.getElementById('signin') !== null");
    page.type("#api-key", KEY);
    page.pressEnter();
    page.awaitTrue(
        "document.getElementById('view').dataset.state === 'ready'"
            + " && document.getElementById('view').dataset.view === 'chain'");

    assertThat(page.text("#chain-tool-cost [data-cost-usd]")).isEqualTo("$0.002");
    JsonNode agent = chain.path("byAgent");
    for (JsonNode a : agent) {
      String row = "#by-agent tr[data-agent='" + a.path("agent").asText() + "'] .tool-cost";
      assertThat(page.text(row))
          .isEqualTo(ChainExplorerIT.usd(a.path("toolCostUsd")).replace("unknown", "$0"));
    }
    page.expandAll();
    page.awaitTrue("document.querySelector(\".span-row[data-span-id='" + tool + "']\") !== null");
    assertThat(page.text(".span-row[data-span-id='" + tool + "'] .mcp-server"))
        .isEqualTo("MCP weather-mcp");
    assertThat(
            page.eval(
                    "[...document.querySelectorAll('#decision-graph g.dg-node.kind-tool title')]"
                        + ".some(t => t.textContent.includes('MCP server: weather-mcp'))")
                .asBoolean())
        .isTrue();
    page.screenshot(Path.of("target", "ui-screenshots").resolve("chain-tool-costs.png"));
    assertThat(chromium.pageErrors()).isEmpty();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(URI.create(app.apiBase() + "/api/v1" + path)));
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return Chromium.JSON.readTree(r.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(
        b.header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
  }
}
