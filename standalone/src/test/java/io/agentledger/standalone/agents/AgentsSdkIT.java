package io.agentledger.standalone.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm packages — {@code @openai/agents} traced by OpenInference's processor, an MCP server
 * and client ({@code @modelcontextprotocol/sdk}, the Agents SDK's MCP client) with OpenInference's
 * context propagation — against the fake Responses API, exported over OTLP/HTTP to a running
 * standalone: chain, agent and session costs equal the hand-computed bill, every model request is
 * counted once, hand-offs are edges and the MCP tool names its server.
 *
 * <p>Prices (gpt-4o-mini-2024-07-18, per million tokens): $0.15 input, $0.075 cached input, $0.60
 * output. triage 388/512/40 → $0.0001206; weather-specialist 376/1024/60 + 420/1280/110 →
 * $0.0003942; forecaster 1100/0/50 + 276/1024/90 → $0.0003672 (uncached/cached/output).
 */
class AgentsSdkIT {

  private static final String KEY = "al_agents_it_key_0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void agentsSdkAndMcp_costAsTheHandComputedBill_withHandoffsAndTheServerNamed() throws Exception {
    Path npm = AgentsNpm.install();
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    Process fake = node(npm, "lib/fake-responses.mjs").start();
    try (Standalone app = Standalone.start(StandaloneConfig.from(env))) {
      BufferedReader fakeOut =
          new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
      String fakeUrl = fakeOut.readLine();
      assertThat(fakeUrl).as("fake Responses API URL").startsWith("http://127.0.0.1:");
      String traces = app.tracesEndpoint().toString();
      String otlpBase = traces.substring(0, traces.length() - "/v1/traces".length());
      for (String scenario : List.of("scenarios/openai-agents.mjs", "scenarios/mcp-client.mjs")) {
        ProcessBuilder pb = node(npm, scenario);
        pb.environment().put("FAKE_OPENAI_BASE_URL", fakeUrl);
        pb.environment().put("OTLP_BASE", otlpBase);
        pb.environment().put("OTLP_AUTHORIZATION", "Bearer " + KEY);
        Path log = Files.createTempFile(dataDir, "scenario", ".log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(scenario + " finished").isTrue();
        assertThat(p.exitValue()).as(scenario + ": " + Files.readString(log)).isZero();
      }

      // The agents run and the blocked run, one session; five model requests in all.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                JsonNode s = get(app, "/api/v1/sessions/sess-agents-1");
                assertThat(s.path("chains").asInt()).isEqualTo(2);
                assertThat(s.path("costUsd").decimalValue()).isEqualByComparingTo("0.0005148");
              });
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                JsonNode s = get(app, "/api/v1/sessions/sess-mcp-1");
                assertThat(s.path("costUsd").decimalValue()).isEqualByComparingTo("0.0003672");
                JsonNode chain = get(app, "/api/v1/chains/" + s.path("traceIds").get(0).asText());
                assertThat(chain.path("spanCount").asInt()).isEqualTo(11); // the server's span too
              });

      JsonNode session = get(app, "/api/v1/sessions/sess-agents-1");
      assertThat(session.path("costComplete").asBoolean()).isTrue();
      Map<String, JsonNode> agents = byName(session.path("byAgent"), "agent");
      assertThat(agents).containsOnlyKeys("triage", "weather-specialist");
      assertThat(agents.get("triage").path("exclusiveCostUsd").decimalValue())
          .isEqualByComparingTo("0.0001206");
      assertThat(agents.get("weather-specialist").path("exclusiveCostUsd").decimalValue())
          .isEqualByComparingTo("0.0003942");

      JsonNode chain = chainWithCalls(app, session, 3);
      assertThat(chain.path("costUsd").decimalValue()).isEqualByComparingTo("0.0005148");
      assertThat(chain.path("toolCalls").asInt()).isEqualTo(1); // get_weather; not the hand-off
      assertThat(chain.path("agent").asText()).isEqualTo("triage");
      JsonNode decisions = decisions(app, chain.path("traceId").asText());
      Map<String, JsonNode> nodes = byName(decisions.path("nodes"), "id");
      List<String> handoffs = new ArrayList<>();
      for (JsonNode e : decisions.path("edges")) {
        if (e.path("kind").asText().equals("handoff")) {
          handoffs.add(
              nodes.get(e.path("source").asText()).path("label").asText()
                  + " -> "
                  + nodes.get(e.path("target").asText()).path("label").asText());
        }
      }
      assertThat(handoffs).containsExactly("triage -> weather-specialist");
      assertThat(decisions.path("nodes").findValuesAsText("choice")).containsExactly("pass");
      JsonNode blocked = chainWithCalls(app, session, 0);
      assertThat(blocked.path("costUsd").decimalValue()).isEqualByComparingTo("0");
      JsonNode blockedDecisions = decisions(app, blocked.path("traceId").asText());
      assertThat(blockedDecisions.path("nodes").findValuesAsText("choice"))
          .containsExactly("tripwire");

      JsonNode mcp = get(app, "/api/v1/sessions/sess-mcp-1");
      String mcpTrace = mcp.path("traceIds").get(0).asText();
      JsonNode mcpChain = get(app, "/api/v1/chains/" + mcpTrace);
      assertThat(mcpChain.path("llmCalls").asInt()).isEqualTo(2);
      assertThat(mcpChain.path("toolCalls").asInt()).isEqualTo(1);
      List<JsonNode> tools = new ArrayList<>();
      for (JsonNode n : decisions(app, mcpTrace).path("nodes")) {
        if (n.path("kind").asText().equals("tool")) {
          tools.add(n);
        }
      }
      assertThat(tools).hasSize(1); // the client's call; the server's span is a step under it
      JsonNode tool = tools.get(0);
      assertThat(tool.path("label").asText()).isEqualTo("get_forecast");
      assertThat(tool.path("server").asText()).isEqualTo("weather-mcp");
      assertThat(tool.path("agent").asText()).isEqualTo("forecaster");

      // Each of the five requests the fake answered is counted once, priced once.
      JsonNode byAgent = get(app, "/api/v1/costs?groupBy=agent");
      long llmCalls = 0;
      for (JsonNode g : byAgent.path("groups")) {
        llmCalls += g.path("llmCalls").asLong();
      }
      assertThat(llmCalls).isEqualTo(5);
      Map<String, JsonNode> costByAgent = new HashMap<>();
      for (JsonNode g : byAgent.path("groups")) {
        costByAgent.put(g.path("key").path("agent").asText(), g);
      }
      assertThat(costByAgent.get("forecaster").path("costUsd").decimalValue())
          .isEqualByComparingTo("0.0003672");
    } finally {
      fake.destroy();
      fake.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The chain's decision tree, once its settlement has derived it. */
  private JsonNode decisions(Standalone app, String traceId) {
    String path = "/api/v1/chains/" + traceId + "/decisions";
    return await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> get(app, path), d -> d.path("nodes").size() > 0);
  }

  private static ProcessBuilder node(Path dir, String script) {
    ProcessBuilder pb = new ProcessBuilder("node", script).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("OPENAI_"));
    return pb;
  }

  private JsonNode chainWithCalls(Standalone app, JsonNode session, int llmCalls) throws Exception {
    for (JsonNode id : session.path("traceIds")) {
      JsonNode chain = get(app, "/api/v1/chains/" + id.asText());
      if (chain.path("llmCalls").asInt() == llmCalls) {
        return chain;
      }
    }
    throw new AssertionError("no chain with " + llmCalls + " model calls in " + session);
  }

  private static Map<String, JsonNode> byName(JsonNode array, String field) {
    Map<String, JsonNode> out = new HashMap<>();
    array.forEach(n -> out.put(n.path(field).asText(), n));
    return out;
  }

  private JsonNode get(Standalone app, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(app.apiBase().resolve(path))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
