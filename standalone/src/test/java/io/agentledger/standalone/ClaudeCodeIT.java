package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of the real Claude Code CLI (npm {@code @anthropic-ai/claude-code}, installed once into
 * {@code ~/.cache/agentledger/claude-code} by {@code
 * core/src/test/fixtures-capture/claude-code.mjs}) against a running standalone and a fake
 * Anthropic API, with and without the traces beta: each prompt is a chain, each member's prompts
 * share its session, costs by agent follow the fleet member an orchestrator named through {@code
 * OTEL_RESOURCE_ATTRIBUTES}, and every request counts once.
 *
 * <p>The bill, by hand (claude-sonnet-4-5: $3 input, $15 output, $0.30 cache read, $3.75 cache
 * write per million tokens; the usage is the fake's, see {@code lib/fake-anthropic.mjs}):
 *
 * <ul>
 *   <li>a first prompt: tool call 1,200 in + 150 out + 8,000 cache write = $0.03585, then the final
 *       answer 400 in + 60 out + 8,000 cache read + 500 cache write = $0.006375: $0.042225
 *   <li>a second prompt in the same session: 700 in + 25 out = $0.002475
 *   <li>{@code fixer}: two prompts, one session, 3 calls, $0.0447; {@code reviewer} (traces beta,
 *       each call reported as a span and as an event): one prompt, 2 calls, $0.042225
 * </ul>
 */
class ClaudeCodeIT {

  private static final String KEY = "al_claude_code_key_0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCRIPT =
      Path.of("..", "core", "src", "test", "fixtures-capture", "claude-code.mjs").toAbsolutePath();

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;
  @TempDir Path work;

  @Test
  void aFleetOfClaudeCodes_isBilledPerPromptSessionAndMember_eachRequestOnce() throws Exception {
    Assumptions.assumeTrue(
        commandWorks("node", "--version") && commandWorks("npm", "--version"),
        "node and npm are needed to install and run the Claude Code CLI (.ci/run installs npm)");
    Map<String, String> env =
        Map.of(
            "AGENTLEDGER_DATA_DIR", dataDir.toString(),
            "AGENTLEDGER_API_KEYS", "fleet:" + KEY,
            "AGENTLEDGER_HOST", "127.0.0.1",
            "AGENTLEDGER_OTLP_PORT", "0",
            "AGENTLEDGER_API_PORT", "0",
            "AGENTLEDGER_KAFKA_PORT", "0",
            "AGENTLEDGER_SETTLE_IDLE", "1s");
    try (Standalone app = Standalone.start(StandaloneConfig.from(env))) {
      String otlp = app.otlpBase().toString();
      String fixer = "gen_ai.agent.name=fixer,gen_ai.agent.id=fixer-1,service.instance.id=worker-1";
      String reviewer =
          "gen_ai.agent.name=reviewer,gen_ai.agent.id=reviewer-2,service.instance.id=worker-2";
      Path fixerDir = work.resolve("fixer");

      JsonNode first = claude(otlp, "--resource", fixer, "--work-dir", fixerDir.toString());
      String fixerSession = first.path("session_id").asText();
      JsonNode second =
          claude(
              otlp,
              "--resource",
              fixer,
              "--work-dir",
              fixerDir.toString(),
              "--resume",
              fixerSession,
              "--json");
      JsonNode third =
          claude(
              otlp,
              "--resource",
              reviewer,
              "--work-dir",
              work.resolve("reviewer").toString(),
              "--beta");
      String reviewerSession = third.path("session_id").asText();

      // What the fake served, and what the CLI itself says it cost (cumulative per session).
      assertThat(first.path("served").toString()).isEqualTo("[\"tool-call\",\"final\"]");
      assertThat(second.path("served").toString()).isEqualTo("[\"plain\"]");
      assertThat(second.path("session_id").asText()).isEqualTo(fixerSession);
      assertThat(first.path("total_cost_usd").decimalValue()).isEqualByComparingTo("0.042225");
      assertThat(second.path("total_cost_usd").decimalValue()).isEqualByComparingTo("0.0447");
      assertThat(third.path("total_cost_usd").decimalValue()).isEqualByComparingTo("0.042225");

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> session(app, fixerSession).path("chains").asInt() == 2);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> session(app, reviewerSession).path("chains").asInt() == 1);

      JsonNode fixerTotals = session(app, fixerSession);
      assertThat(fixerTotals.path("costUsd").decimalValue()).isEqualByComparingTo("0.0447");
      assertThat(fixerTotals.path("costComplete").asBoolean()).isTrue();
      JsonNode reviewerTotals = session(app, reviewerSession);
      assertThat(reviewerTotals.path("costUsd").decimalValue()).isEqualByComparingTo("0.042225");
      assertThat(reviewerTotals.path("costComplete").asBoolean()).isTrue();

      // One chain per prompt, each with its own calls.
      List<JsonNode> fixerChains = chains(app, fixerSession);
      assertThat(fixerChains)
          .extracting(c -> c.path("llmCalls").asInt(), c -> c.path("costUsd").decimalValue())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(2, new BigDecimal("0.042225")),
              org.assertj.core.groups.Tuple.tuple(1, new BigDecimal("0.002475")));
      assertThat(fixerChains)
          .allSatisfy(c -> assertThat(c.path("agent").asText()).isEqualTo("fixer"));
      List<JsonNode> reviewerChains = chains(app, reviewerSession);
      assertThat(reviewerChains).hasSize(1);
      JsonNode beta = get(app, "/api/v1/chains/" + reviewerChains.get(0).path("traceId").asText());
      assertThat(beta.path("llmCalls").asInt()).isEqualTo(2); // a span and an event per request
      assertThat(beta.path("toolCalls").asInt()).isEqualTo(1);
      assertThat(beta.path("costUsd").decimalValue()).isEqualByComparingTo("0.042225");

      // Costs by fleet member: from per-span decisions, each request once.
      JsonNode costs = get(app, "/api/v1/costs?groupBy=agent");
      Map<String, JsonNode> byAgent = new java.util.HashMap<>();
      costs.path("groups").forEach(g -> byAgent.put(g.path("key").path("agent").asText(), g));
      assertThat(byAgent.keySet()).containsExactlyInAnyOrder("fixer", "reviewer");
      assertThat(byAgent.get("fixer").path("costUsd").decimalValue())
          .isEqualByComparingTo("0.0447");
      assertThat(byAgent.get("fixer").path("llmCalls").asInt()).isEqualTo(3);
      assertThat(byAgent.get("reviewer").path("costUsd").decimalValue())
          .isEqualByComparingTo("0.042225");
      assertThat(byAgent.get("reviewer").path("llmCalls").asInt()).isEqualTo(2);
    }
  }

  /** Runs one prompt through the CLI; its last line of output is the run's JSON summary. */
  private JsonNode claude(String otlp, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString(), "run"));
    command.addAll(List.of("--otlp", otlp, "--key", KEY));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(work, "claude-", ".log");
    Process p =
        new ProcessBuilder(command)
            .redirectError(log.toFile())
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.MINUTES))
        .as("the CLI (and its first install) finished")
        .isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private JsonNode session(Standalone app, String id) throws Exception {
    return get(app, "/api/v1/sessions/" + id);
  }

  private List<JsonNode> chains(Standalone app, String session) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    get(app, "/api/v1/chains?sessionId=" + URLEncoder.encode(session, StandardCharsets.UTF_8))
        .path("items")
        .forEach(out::add);
    return out;
  }

  private JsonNode get(Standalone app, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(app.apiBase().resolve(path))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      return JSON.createObjectNode();
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static boolean commandWorks(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
