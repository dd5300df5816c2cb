package io.agentledger.standalone.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import io.agentledger.standalone.monitoring.PrometheusRulesTest;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./agentledger demo} against a real standalone, on a compressed schedule (a burst of 120
 * runs in 2 s, then 10 a second, the cost spike from 2.5 s to 8.5 s): the shapes the demo promises
 * are all there, read back through the query API.
 */
class DemoWorkloadIT {

  static final String KEY = "al_demo_key_0123456789";
  static final int RUNS = 200;
  static final DemoSchedule COMPRESSED =
      new DemoSchedule(
          2026,
          120,
          Duration.ofSeconds(2),
          600,
          Duration.ofMillis(2_500),
          Duration.ofSeconds(6),
          6.0,
          RUNS);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void theDemo_recordsHandOffsDecisionsApprovalsLoopsFailuresTwoVersionsAndASpike()
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    // The test reads a decision tree per chain as fast as it can; the per-project request limit
    // (50/s) is about production clients, not this reader (a fast machine got 429s).
    env.put("AGENTLEDGER_API_PROJECT_RATE", "0");
    long t0 = System.nanoTime();
    try (Standalone app = Standalone.start(StandaloneConfig.from(env));
        DemoWorkload demo =
            new DemoWorkload(app.tracesEndpoint(), KEY, COMPRESSED, Clock.systemUTC())) {
      long started = System.nanoTime();
      System.out.printf("demo IT: standalone up in %d ms%n", (started - t0) / 1_000_000);
      demo.start();
      await()
          .atMost(Duration.ofSeconds(90)) // a deadline: about 10 s on an idle machine
          .until(() -> chains(app).size() == RUNS && chains(app).stream().allMatch(settled()));
      assertThat(demo.runsSent()).isEqualTo(RUNS);
      System.out.printf(
          "demo IT: %d runs settled %d ms after the demo started%n",
          RUNS, (System.nanoTime() - started) / 1_000_000);

      List<JsonNode> chains = chains(app);
      assertThat(chains)
          .allSatisfy(c -> assertThat(c.path("service").asText()).isEqualTo("demo-crew"));
      Map<String, JsonNode> trees = new HashMap<>();
      for (JsonNode c : chains) {
        String id = c.path("traceId").asText();
        trees.put(id, get(app, "/api/v1/chains/" + id));
      }

      System.out.printf(
          "demo IT: chains read back %d ms after the start%n",
          (System.nanoTime() - t0) / 1_000_000);

      // Both versions of support-triage, each with runs of its own.
      JsonNode costs = get(app, "/api/v1/costs?groupBy=agent,agentVersion");
      Map<String, Long> triageChainsByVersion = new HashMap<>();
      for (JsonNode g : costs.path("groups")) {
        if (g.path("key").path("agent").asText().equals("support-triage")) {
          triageChainsByVersion.put(
              g.path("key").path("agentVersion").asText(), g.path("chains").asLong());
        }
      }
      assertThat(triageChainsByVersion).as(costs.toString()).containsOnlyKeys("1.0", "2.0");
      assertThat(triageChainsByVersion.values()).allSatisfy(n -> assertThat(n).isGreaterThan(20));

      // Hand-offs, approvals and the ping-pong between refunds and billing.
      assertThat(trees.values())
          .anyMatch(t -> hasPath(t, "invoke_agent support-triage", "invoke_agent refunds"))
          .anyMatch(t -> hasPath(t, "invoke_agent support-triage", "invoke_agent faq"))
          .anyMatch(
              t ->
                  hasPath(
                      t, "invoke_agent billing", "invoke_agent refunds", "invoke_agent billing"))
          .anyMatch(t -> nodes(t, "approval issue_refund", "unset") == 1);

      // Failures: tool errors, a loop of failing test runs, a rate-limited model call retried.
      // The failed call reported no usage, so its chain is incomplete rather than $0.
      assertThat(trees.values())
          .anyMatch(t -> nodes(t, "execute_tool web_search", "error") == 1)
          .anyMatch(t -> nodes(t, "execute_tool run_tests", "error") >= 3)
          .anyMatch(t -> nodes(t, "chat claude-sonnet-4-5", "error") == 1);
      for (JsonNode t : trees.values()) {
        boolean failedCall = nodes(t, "chat claude-sonnet-4-5", "error") > 0;
        assertThat(t.path("costComplete").asBoolean())
            .as(t.path("traceId").asText())
            .isEqualTo(!failedCall);
        assertThat(t.path("costUsd").decimalValue()).isPositive();
      }

      // The decision trees: the model's tool choices, hand-offs, decisions, approvals, retries.
      List<JsonNode> decisionTrees = new ArrayList<>();
      for (String id : trees.keySet()) {
        decisionTrees.add(get(app, "/api/v1/chains/" + id + "/decisions"));
      }
      assertThat(decisionTrees)
          .anyMatch(d -> hasNode(d, n -> n.path("chosenTools").size() == 2))
          .anyMatch(d -> hasNode(d, n -> n.path("choice").asText().equals("ask_customer")))
          .anyMatch(d -> hasNode(d, n -> n.path("kind").asText().equals("handoff")))
          .anyMatch(d -> hasNode(d, n -> n.path("kind").asText().equals("approval")))
          .anyMatch(d -> hasEdge(d, "chose"))
          .anyMatch(d -> hasEdge(d, "retry"));

      // The spans themselves: decisions, the model's tool choices matched to their executions,
      // a loop's identical arguments.
      Map<String, List<AgentSpan>> spans = app.store().chainSpans("acme", trees.keySet());
      assertThat(spans.values()).anyMatch(c -> decisions(c).contains("route=refunds"));
      assertThat(spans.values()).anyMatch(c -> decisions(c).contains("clarify=ask_customer"));
      assertThat(spans.values()).anyMatch(DemoWorkloadIT::choicesMatchExecutions);
      assertThat(spans.values()).anyMatch(c -> sameToolCalls(c, "run_tests") >= 3);

      // The cost spike: research runs from 2.5 s to 8.5 s retrieved 6× the documents,
      // so their prompts were 6× as long, and cost about 5× as much (their answers did not grow).
      List<BigDecimal> usual = new ArrayList<>();
      List<BigDecimal> spiked = new ArrayList<>();
      spans.forEach(
          (id, c) -> {
            long documents = documents(c);
            if (documents > 0) {
              (documents > 8 ? spiked : usual).add(trees.get(id).path("costUsd").decimalValue());
            }
          });
      assertThat(usual).hasSizeGreaterThan(5);
      assertThat(spiked).hasSizeGreaterThan(5);
      assertThat(mean(spiked) / mean(usual)).isBetween(4.0, 5.8);

      // Every metric the Prometheus rules in dashboards/ read is served, so no alert there
      // watches a name that does not exist.
      String metrics = text(app, "/metrics");
      assertThat(PrometheusRulesTest.metricsReadByRules())
          .isNotEmpty()
          .allSatisfy(name -> assertThat(metrics).contains("\n" + name));
    }
    System.out.printf("demo IT: done in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * The burst, judged cycle by cycle as it arrives (a detection cycle a second), raises no "below"
   * run outlier: its runs, history that started one after another, are alike in start order. (Runs
   * that all ended in the burst, the longest started first, made everything judged after the first
   * ones look cheap and fast: refunds and support-triage runs 4 to 11 robust deviations below.)
   */
  @Test
  void theBurst_raisesNoBelowRunOutliers() throws Exception {
    int runs = 400;
    DemoSchedule burstOnly =
        new DemoSchedule(
            2026,
            runs,
            Duration.ofSeconds(6),
            60,
            Duration.ofHours(1),
            Duration.ofMinutes(1),
            6.0,
            runs);
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    env.put("AGENTLEDGER_ANOMALY_INTERVAL", "1s");
    env.put("AGENTLEDGER_API_PROJECT_RATE", "0");
    try (Standalone app = Standalone.start(StandaloneConfig.from(env));
        DemoWorkload demo =
            new DemoWorkload(app.tracesEndpoint(), KEY, burstOnly, Clock.systemUTC())) {
      demo.start();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> chains(app).size() == runs && chains(app).stream().allMatch(settled()));
      // Every agent span is a run; wait until the detection cycles have judged them all.
      Map<String, List<AgentSpan>> spans =
          app.store()
              .chainSpans(
                  "acme", chains(app).stream().map(c -> c.path("traceId").asText()).toList());
      long agentRuns =
          spans.values().stream()
              .flatMap(List::stream)
              .filter(s -> s.type() == io.agentledger.core.span.SpanType.AGENT)
              .count();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> detectedRuns(text(app, "/metrics")) >= agentRuns);
      JsonNode anomalies = get(app, "/api/v1/anomalies?kind=run_outlier&from=2000-01-01T00:00:00Z");
      List<String> below = new ArrayList<>();
      for (JsonNode a : anomalies.path("items")) {
        String agent = a.path("subject").path("agent").asText();
        if ((agent.equals("refunds") || agent.equals("support-triage"))
            && a.path("detail").path("direction").asText().equals("below")) {
          below.add(agent + " " + a.path("metric").asText() + " " + a.path("score").asText());
        }
      }
      assertThat(below).as(anomalies.toString()).isEmpty();
    }
  }

  /** {@code agentledger_analyzer_detection_runs_total} of a Prometheus scrape. */
  private static double detectedRuns(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("agentledger_analyzer_detection_runs_total ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    return 0;
  }

  private static boolean hasNode(JsonNode decisions, Predicate<JsonNode> test) {
    return StreamSupport.stream(decisions.path("nodes").spliterator(), false).anyMatch(test);
  }

  private static boolean hasEdge(JsonNode decisions, String kind) {
    return StreamSupport.stream(decisions.path("edges").spliterator(), false)
        .anyMatch(e -> e.path("kind").asText().equals(kind));
  }

  private static double mean(List<BigDecimal> values) {
    return values.stream().mapToDouble(BigDecimal::doubleValue).average().orElseThrow();
  }

  /** Spans named {@code name} with status {@code status} in the chain's tree. */
  private static long nodes(JsonNode chain, String name, String status) {
    return flatten(chain.path("tree")).stream()
        .filter(n -> n.path("name").asText().equals(name))
        .filter(n -> n.path("status").asText().equals(status))
        .count();
  }

  /** True when the tree holds nodes with these names, each the child of the one before. */
  private static boolean hasPath(JsonNode chain, String... names) {
    return flatten(chain.path("tree")).stream().anyMatch(n -> startsPath(n, names, 0));
  }

  private static boolean startsPath(JsonNode node, String[] names, int i) {
    if (!node.path("name").asText().equals(names[i])) {
      return false;
    }
    if (i == names.length - 1) {
      return true;
    }
    for (JsonNode child : node.path("children")) {
      if (startsPath(child, names, i + 1)) {
        return true;
      }
    }
    return false;
  }

  private static List<JsonNode> flatten(JsonNode roots) {
    List<JsonNode> all = new ArrayList<>();
    List<JsonNode> todo = new ArrayList<>();
    roots.forEach(todo::add);
    while (!todo.isEmpty()) {
      JsonNode n = todo.remove(todo.size() - 1);
      all.add(n);
      n.path("children").forEach(todo::add);
    }
    return all;
  }

  /** The chain's decisions as {@code name=chosen}. */
  private static List<String> decisions(List<AgentSpan> chain) {
    List<String> out = new ArrayList<>();
    for (AgentSpan s : chain) {
      for (SpanEvent e : s.events()) {
        if (e.name().equals("agentledger.decision")) {
          out.add(
              e.attributes().get("agentledger.decision.name")
                  + "="
                  + e.attributes().get("agentledger.decision.chosen"));
        }
      }
    }
    return out;
  }

  /** Every tool execution's call id was chosen by a model call of the chain, as a tool_call. */
  private static boolean choicesMatchExecutions(List<AgentSpan> chain) {
    String chosen =
        chain.stream()
            .map(s -> s.attributes().getOrDefault("gen_ai.output.messages", ""))
            .reduce("", String::concat);
    List<String> ids =
        chain.stream()
            .map(s -> s.attributes().get("gen_ai.tool.call.id"))
            .filter(id -> id != null)
            .toList();
    return !ids.isEmpty()
        && chosen.contains("\"type\":\"tool_call\"")
        && ids.stream().allMatch(id -> chosen.contains("\"id\":\"" + id + "\""));
  }

  /** The most executions of {@code tool} with the same arguments. */
  private static long sameToolCalls(List<AgentSpan> chain, String tool) {
    Map<String, Long> byArguments = new HashMap<>();
    for (AgentSpan s : chain) {
      if (tool.equals(s.attributes().get("gen_ai.tool.name"))) {
        byArguments.merge(
            s.attributes().getOrDefault("gen_ai.tool.call.arguments", ""), 1L, Long::sum);
      }
    }
    return byArguments.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Documents the research assistant retrieved; 0 in other chains. */
  private static long documents(List<AgentSpan> chain) {
    return chain.stream()
        .filter(s -> s.name().equals("retrieval papers"))
        .mapToLong(s -> Long.parseLong(s.attributes().get("agentledger.retrieval.documents")))
        .sum();
  }

  private static Predicate<JsonNode> settled() {
    return c -> c.path("costUsd").isNumber();
  }

  private List<JsonNode> chains(Standalone app) throws Exception {
    JsonNode page = get(app, "/api/v1/chains?limit=1000");
    return StreamSupport.stream(page.path("items").spliterator(), false).toList();
  }

  private JsonNode get(Standalone app, String path) throws Exception {
    return JSON.readTree(text(app, path));
  }

  private String text(Standalone app, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(app.apiBase().resolve(path))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
