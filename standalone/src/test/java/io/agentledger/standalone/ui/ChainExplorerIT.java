package io.agentledger.standalone.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.ui.ExplorerAssets;
import io.agentledger.instrumentation.AgentLedger;
import io.agentledger.instrumentation.AgentRun;
import io.agentledger.instrumentation.Approval;
import io.agentledger.instrumentation.ModelCall;
import io.agentledger.instrumentation.ToolCall;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import io.agentledger.standalone.ui.Chromium.Page;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain explorer page ({@code /ui/}) in a real headless Chromium against a running standalone
 * with deterministic chains: what the page shows is what the API answers (costs, the incomplete
 * mark, decision graph nodes and edges, paths), a wrong key gets the sign-in page back, and a
 * 5,000-span chain stays responsive. Screenshots land in {@code target/ui-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainExplorerIT {

  static final String KEY = "explorer-key-0123456789abcdef";
  static final String OTHER_KEY = "other-key-0123456789abcdef0";
  static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  static final int BIG_AGENTS = 10;
  static final int BIG_CALLS_PER_AGENT = 499;
  static final int BIG_SPANS = 1 + BIG_AGENTS * (1 + BIG_CALLS_PER_AGENT);

  Standalone app;
  Chromium chromium;
  Page page;
  final HttpClient http = HttpClient.newHttpClient();
  String crewTrace;
  String incompleteTrace;
  String bigTrace;
  int chains;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dir.resolve("data").toString());
    env.put("AGENTLEDGER_API_KEYS", "explorer:" + KEY + ",other:" + OTHER_KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    app = Standalone.start(StandaloneConfig.from(env));
    sendChains();
    // Listed once settled, with every span (the big chain's spans arrive over several batches).
    await()
        .atMost(Duration.ofMinutes(4)) // 5,001 spans through Kafka on a busy CI machine
        .pollInterval(Duration.ofMillis(500))
        .alias("all " + chains + " chains listed, the big one with its " + BIG_SPANS + " spans")
        .until(
            () -> {
              JsonNode items = api("/chains?limit=100").path("items");
              return items.size() == chains
                  && StreamSupport.stream(items.spliterator(), false)
                      .anyMatch(
                          c ->
                              c.path("traceId").asText().equals(bigTrace)
                                  && c.path("spanCount").asInt() == BIG_SPANS
                                  && c.path("agent").asText().equals("coordinator"));
            });
    chromium = Chromium.launch(dir.resolve("chromium-profile"));
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @AfterEach
  void noErrorsOnThePage() throws Exception {
    if (page != null) {
      assertThat(page.eval("window.__cspViolations").toString())
          .as("CSP violations")
          .isEqualTo("[]");
    }
    assertThat(chromium.pageErrors()).as("errors in the page").isEmpty();
  }

  // --- data
  // ---------------------------------------------------------------------------------------

  private void sendChains() throws Exception {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(app.tracesEndpoint().toString())
            .addHeader("Authorization", "Bearer " + KEY)
            .build();
    try (AgentLedger ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .setResource(
                        Resource.getDefault().toBuilder().put("service.name", "crew-svc").build())
                    .addSpanProcessor(
                        BatchSpanProcessor.builder(exporter).setMaxQueueSize(20_000).build())
                    .build())
            .build()) {
      crewTrace = crew(ledger);
      incompleteTrace = incomplete(ledger);
      for (int i = 0; i < 4; i++) {
        triage(ledger, "1.0", i, false);
      }
      for (int i = 0; i < 3; i++) {
        triage(ledger, "2.0", i, i == 2);
      }
      bigTrace = big(ledger);
      chains = 1 + 1 + 4 + 3 + 1;
    }
  }

  /** The instrumentation library's example crew: a decision, two hand-offs, a tool, an approval. */
  private static String crew(AgentLedger ledger) {
    try (AgentRun planner =
        ledger.agent("planner").version("2.1").conversation("ticket-4711").user("u-9").start()) {
      try (ModelCall call = planner.modelCall("openai", "gpt-4o-mini")) {
        call.usage(1_000, 100).cacheRead(200).finishReasons("tool_calls");
      }
      planner.decision("route", List.of("research", "write"), "research", "needs sources", 0.8);
      try (AgentRun researcher = planner.handoff("researcher")) {
        try (ToolCall tool = researcher.tool("web_search")) {
          tool.callId("call_1").arguments("{\"q\":\"agent costs\"}");
        }
        try (ModelCall call = researcher.modelCall("anthropic", "claude-sonnet-4-5")) {
          call.usage(3_000, 400).cacheRead(2_000);
        }
        try (AgentRun writer = researcher.handoff("writer")) {
          try (ModelCall call = writer.modelCall("openai", "gpt-4o")) {
            call.usage(2_000, 500);
          }
          try (Approval approval = writer.requestApproval("publish")) {
            approval.approve("alice");
          }
        }
      }
      return planner.traceId();
    }
  }

  /** A priced call and a call of a model no catalog knows: the total is incomplete. */
  private static String incomplete(AgentLedger ledger) {
    try (AgentRun agent = ledger.agent("experimenter").version("0.1").start()) {
      try (ModelCall call = agent.modelCall("openai", "gpt-4o-mini")) {
        call.usage(2_000, 200);
      }
      try (ModelCall call = agent.modelCall("acme", "mystery-model-9")) {
        call.usage(5_000, 500);
      }
      return agent.traceId();
    }
  }

  /** Runs of one agent in two versions, for its paths: 2.0 searches twice, and once fails. */
  private static void triage(AgentLedger ledger, String version, int i, boolean fails) {
    try (AgentRun agent = ledger.agent("triage").version(version).conversation("t-" + i).start()) {
      try (ModelCall call = agent.modelCall("openai", "gpt-4o-mini")) {
        call.usage(500 + i, 50);
      }
      int searches = version.equals("1.0") ? 1 : 2;
      for (int s = 0; s < searches; s++) {
        try (ToolCall tool = agent.tool("search")) {
          if (fails && s == 1) {
            tool.fail(new IllegalStateException("search backend down"));
          }
        }
      }
      if (i % 2 == 0) {
        try (ToolCall tool = agent.tool("create_ticket")) {
          tool.callId("t" + i);
        }
      }
    }
  }

  /** 5,001 spans: a coordinator handing off to ten workers of 499 model calls each. */
  private static String big(AgentLedger ledger) {
    try (AgentRun root = ledger.agent("coordinator").version("1").start()) {
      for (int a = 0; a < BIG_AGENTS; a++) {
        try (AgentRun worker = root.handoff("worker-" + a)) {
          for (int c = 0; c < BIG_CALLS_PER_AGENT; c++) {
            try (ModelCall call = worker.modelCall("openai", "gpt-4o-mini")) {
              call.usage(100, 10);
            }
          }
        }
      }
      return root.traceId();
    }
  }

  // --- tests
  // --------------------------------------------------------------------------------------

  @Test
  void wrongKey_getsTheSignInPageBackWithAMessage() throws Exception {
    open("");
    signIn("not-a-key-of-this-server");
    page.awaitTrue("document.getElementById('signin-message') !== null");
    assertThat(page.text("#signin-message")).contains("refused (401)");
    assertThat(page.eval("document.getElementById('view').dataset.state").asText())
        .isEqualTo("signin");
    assertThat(page.eval("sessionStorage.length").asInt()).isZero();

    // A key that worked and stops working (revoked, server restarted with other keys): same.
    signIn(KEY);
    awaitReady("chains");
    page.eval("sessionStorage.setItem('agentledger.apiKey', 'revoked-key-0123456789')");
    page.click("a.sort[data-sort='cost']");
    page.awaitTrue("document.getElementById('signin-message') !== null");
  }

  @Test
  void chainsList_showsTheApiCostsAndMarksTheIncompleteOne() throws Exception {
    open("");
    signIn(KEY);
    awaitReady("chains");
    JsonNode items = api("/chains?limit=50").path("items");
    assertThat(count(".chain-row")).isEqualTo(items.size()).isEqualTo(chains);
    for (JsonNode c : items) {
      String cell = ".chain-row[data-trace-id='" + c.path("traceId").asText() + "'] .cost";
      assertThat(page.text(cell)).as(c.toString()).isEqualTo(costText(c));
      assertThat(attr(cell, "data-cost-complete")).isEqualTo(c.path("costComplete").asText());
    }
    String incomplete = ".chain-row[data-trace-id='" + incompleteTrace + "'] .cost";
    assertThat(attr(incomplete, "class")).contains("incomplete");
    assertThat(page.text(incomplete)).startsWith("≥ $").endsWith(" · 1 unpriced");

    // The key is in this tab's session storage only: not in the URL, a cookie or local storage.
    assertThat(page.eval("sessionStorage.getItem('agentledger.apiKey')").asText()).isEqualTo(KEY);
    assertThat(page.eval("location.href").asText()).doesNotContain(KEY);
    assertThat(page.eval("document.cookie").asText()).isEmpty();
    assertThat(page.eval("localStorage.length").asInt()).isZero();
    page.screenshot(SCREENSHOTS.resolve("chains.png"));

    // Sorting by cost: the API's order.
    page.click("a.sort[data-sort='cost']");
    JsonNode byCost = api("/chains?limit=50&order=cost").path("items");
    page.awaitTrue("location.hash.includes('order=cost') && " + readyScript("chains"));
    assertThat(
            page.eval("[...document.querySelectorAll('.chain-row')].map(r => r.dataset.traceId)"))
        .isEqualTo(traceIds(byCost));
    assertThat(traceIds(byCost).get(0).asText()).isEqualTo(bigTrace);

    // Filtering by agent.
    page.type("#filter-agent", "triage");
    page.click("#filter-apply");
    page.awaitTrue("location.hash.includes('agent=triage') && " + readyScript("chains"));
    assertThat(count(".chain-row"))
        .isEqualTo(api("/chains?limit=50&agent=triage").path("items").size())
        .isEqualTo(7);

    // A time range (read as UTC) goes to the API as ISO-8601: nothing started in 2001.
    page.eval(
        "document.getElementById('filter-from').value = '2001-01-01T00:00';"
            + " document.getElementById('filter-to').value = '2001-01-02T00:00'");
    page.click("#filter-apply");
    page.awaitTrue(
        "location.hash.includes('from=2001-01-01T00%3A00%3A00.000Z&to=2001-01-02T00%3A00%3A00.000Z')"
            + " && "
            + readyScript("chains"));
    assertThat(count("#chains-empty")).isEqualTo(1);
    assertThat(page.eval("document.getElementById('filter-agent').value").asText())
        .isEqualTo("triage");
  }

  @Test
  void chainPage_showsCostsTreeAndTheDecisionGraphTheApiAnswers() throws Exception {
    JsonNode chain = api("/chains/" + crewTrace);
    open("#/chain/" + crewTrace);
    signIn(KEY);
    awaitReady("chain");
    assertThat(page.text("#chain-cost .cost")).isEqualTo(costText(chain));
    for (JsonNode a : chain.path("byAgent")) {
      String row = "#by-agent tr[data-agent='" + a.path("agent").asText() + "']";
      assertThat(page.text(row + " .exclusive")).isEqualTo(usd(a.path("exclusiveCostUsd")));
      assertThat(page.text(row + " .inclusive")).isEqualTo(usd(a.path("inclusiveCostUsd")));
    }
    assertThat(count("#by-agent tbody tr")).isEqualTo(chain.path("byAgent").size()).isEqualTo(3);
    for (JsonNode m : chain.path("byModel")) {
      String row = "#by-model tr[data-model='" + m.path("model").asText() + "']";
      assertThat(page.text(row + " .cost")).isEqualTo(usd(m.path("costUsd")));
    }
    assertThat(count("#by-model tbody tr")).isEqualTo(chain.path("byModel").size()).isEqualTo(3);

    // The span tree: open every closed node, then every span is there with the API's numbers.
    page.expandAll();
    Map<String, JsonNode> spans = new TreeMap<>();
    collect(chain.path("tree"), spans);
    assertThat(count(".span-row")).isEqualTo(spans.size()).isEqualTo(8);
    for (JsonNode n : spans.values()) {
      String row = ".span-row[data-span-id='" + n.path("spanId").asText() + "']";
      assertThat(page.text(row + " .cost-total")).isEqualTo(usd(n.path("totalCostUsd")));
      assertThat(page.text(row + " .cost-source")).isEqualTo(n.path("costSource").asText());
    }

    JsonNode graph = decisions(crewTrace);
    page.screenshot(SCREENSHOTS.resolve("chain.png"));
    int nodes = graph.path("nodes").size();
    if (nodes == 0) {
      // Decision trees not derived by this build: the page says so instead of drawing.
      assertThat(count("#graph-empty")).isEqualTo(1);
      return;
    }
    assertThat(count("#decision-graph g.dg-node")).isEqualTo(nodes);
    assertThat(count("#decision-graph path.dg-edge")).isEqualTo(graph.path("edges").size());
    Map<String, Integer> kinds = new TreeMap<>();
    graph.path("edges").forEach(e -> kinds.merge(e.path("kind").asText(), 1, Integer::sum));
    for (Map.Entry<String, Integer> k : kinds.entrySet()) {
      assertThat(count("#decision-graph path.dg-edge[data-kind='" + k.getKey() + "']"))
          .as("edges of kind " + k.getKey())
          .isEqualTo(k.getValue());
    }
    for (JsonNode n : graph.path("nodes")) {
      assertThat(count("#decision-graph g.dg-node[data-id='" + n.path("id").asText() + "']"))
          .isEqualTo(1);
    }
    page.screenshotOf("#decisions", SCREENSHOTS.resolve("decision-graph.png"));
  }

  @Test
  void incompleteChain_isMarkedAndItsUnknownCallSaysSo() throws Exception {
    JsonNode chain = api("/chains/" + incompleteTrace);
    assertThat(chain.path("costComplete").asBoolean()).isFalse();
    open("#/chain/" + incompleteTrace);
    signIn(KEY);
    awaitReady("chain");
    assertThat(attr("#chain-cost .cost", "class")).contains("incomplete");
    assertThat(page.text("#chain-cost .cost"))
        .isEqualTo("≥ " + usd(chain.path("costUsd")) + " · 1 unpriced");
    assertThat(page.eval("[...document.querySelectorAll('.cost-source')].map(e => e.textContent)"))
        .extracting(JsonNode::asText)
        .contains("unknown", "computed");
    assertThat(page.text("#by-model tr[data-model='mystery-model-9'] .cost")).contains("unpriced");
    String root = chain.path("tree").get(0).path("spanId").asText();
    assertThat(page.text(".span-row[data-span-id='" + root + "'] .cost-total"))
        .isEqualTo("≥ " + usd(chain.path("tree").get(0).path("totalCostUsd")));
  }

  @Test
  void agentPaths_showEachBranchWithItsShareAndCompareVersions() throws Exception {
    open("#/agents");
    signIn(KEY);
    awaitReady("agents");
    assertThat(count(".agent-row[data-agent='triage']")).isEqualTo(1);
    page.click(".agent-row[data-agent='triage'] a");
    awaitReady("agent");
    JsonNode paths = api("/agents/triage/paths");
    JsonNode root = paths.path("root");
    if (root.isMissingNode() || root.path("runs").asInt() == 0) {
      assertThat(count("#paths-empty")).isEqualTo(1);
      return;
    }
    assertThat(root.path("runs").asInt()).isEqualTo(7);
    List<JsonNode> shown = new ArrayList<>();
    root.path("children").forEach(c -> flatten(c, shown, 3));
    for (JsonNode n : shown) {
      assertThat(
              page.eval(
                  "[...document.querySelectorAll('.path-row[data-step]')].filter(r => r.dataset.step === "
                      + Chromium.JSON.writeValueAsString(n.path("step").asText())
                      + ").map(r => Number(r.dataset.runs))"))
          .as("runs of " + n.path("step").asText())
          .extracting(JsonNode::asInt)
          .contains(n.path("runs").asInt());
    }
    page.screenshot(SCREENSHOTS.resolve("paths.png"));

    go("#/agent/triage?version=2.0&compare=1.0");
    awaitReady("agent");
    assertThat(page.text("#paths-runs")).contains("compared with version 1.0");
    JsonNode compared = api("/agents/triage/paths?version=2.0&compare=1.0");
    assertThat(compared.path("compare").path("runs").asInt()).isEqualTo(4);
    assertThat(count(".path-row .delta.up")).isPositive();
    // 1.0 searched once then went on; 2.0 never did: that branch shows as gone.
    assertThat(count(".path-row.gone[data-step='tool:search'] .delta.down")).isEqualTo(1);
    page.screenshot(SCREENSHOTS.resolve("paths-compare.png"));
  }

  @Test
  void fiveThousandSpanChain_rendersQuicklyAndLazily() throws Exception {
    open("");
    signIn(KEY);
    awaitReady("chains");
    long started = System.nanoTime();
    go("#/chain/" + bigTrace);
    awaitReady("chain");
    long renderMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        "ChainExplorerIT: the 5,001-span chain page was ready in "
            + renderMillis
            + " ms; API answers (ms): "
            + page.eval(
                "performance.getEntriesByType('resource').filter(e => e.name.includes('"
                    + bigTrace
                    + "')).map(e => e.name.replace(/.*chains./, '') + ' ' + Math.round(e.duration)"
                    + " + ' (' + e.encodedBodySize + ' bytes)').join(', ')"));
    // The page's own share: building the tree of 5,000 spans from the API's answer.
    double buildMillis =
        page.eval(
                "(async () => { const tree = await import('/ui/tree.js');"
                    + " const r = await fetch('/api/v1/chains/"
                    + bigTrace
                    + "', {headers: {Authorization: 'Bearer ' +"
                    + " sessionStorage.getItem('agentledger.apiKey')}});"
                    + " const chain = await r.json(); const t = performance.now();"
                    + " tree.spanTree(chain.tree); return performance.now() - t; })()")
            .asDouble();
    System.out.println("ChainExplorerIT: building the 5,000-span tree took " + buildMillis + " ms");
    assertThat(buildMillis).isLessThan(1_000);
    int rows = count(".span-row");
    assertThat(rows).as("rows built before any click").isBetween(BIG_AGENTS + 1, 400);
    assertThat(count("#tree-truncated")).isEqualTo(1); // 5,001 spans > the API's 5,000 per answer

    // Opening a closed worker builds its first 100 calls, quickly.
    String closed =
        page.eval(
                "[...document.querySelectorAll('.span-row[aria-expanded=\"false\"]')]"
                    + ".find(r => Number(r.dataset.children) > 0).dataset.spanId")
            .asText();
    double clickMillis =
        page.eval(
                "(() => { const t = performance.now(); document.querySelector('.span-row[data-span-id=\""
                    + closed
                    + "\"] .toggle').click(); return performance.now() - t; })()")
            .asDouble();
    System.out.println("ChainExplorerIT: opening a 499-call worker took " + clickMillis + " ms");
    assertThat(clickMillis).isLessThan(1_000);
    assertThat(count(".span-row")).isEqualTo(rows + 100);
    page.screenshot(SCREENSHOTS.resolve("big-chain.png"), 1_600);
  }

  /**
   * The drawing itself, on a hand-made tree with every node and edge kind, a failed tool retried
   * and a retry back to an earlier step (a cycle): calls go left to right, a caller's steps top to
   * bottom in time order, and kinds and statuses look different.
   */
  @Test
  void decisionGraph_isLayeredLeftToRightWithKindsAndStatusesApart() throws Exception {
    String fixture;
    try (var in = ChainExplorerIT.class.getResourceAsStream("/ui/decision-tree.json")) {
      fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    JsonNode tree = Chromium.JSON.readTree(fixture);
    open("");
    page.eval(
        "(async () => { const m = await import('/ui/graph.js');"
            + " const view = document.getElementById('view');"
            + " view.replaceChildren(m.decisionGraph("
            + fixture
            + ")); view.dataset.view = 'fixture'; return true; })()");
    assertThat(count("#decision-graph g.dg-node")).isEqualTo(tree.path("nodes").size());
    assertThat(count("#decision-graph path.dg-edge")).isEqualTo(tree.path("edges").size());

    JsonNode at =
        page.eval(
            "Object.fromEntries([...document.querySelectorAll('#decision-graph g.dg-node')]"
                + ".map(g => [g.dataset.id, {x: g.transform.baseVal[0].matrix.e,"
                + " y: g.transform.baseVal[0].matrix.f}]))");
    for (JsonNode e : tree.path("edges")) {
      JsonNode from = at.path(e.path("source").asText());
      JsonNode to = at.path(e.path("target").asText());
      String kind = e.path("kind").asText();
      if (e.path("source").asText().equals("p1")) {
        // The rejected approval sends the writer back to its model call: back up the column.
        assertThat(to.path("x").asDouble()).isEqualTo(from.path("x").asDouble());
        assertThat(to.path("y").asDouble()).as(e.toString()).isLessThan(from.path("y").asDouble());
      } else if (kind.equals("next") || kind.equals("retry")) {
        // Steps of one caller: one column, in time order top to bottom.
        assertThat(to.path("x").asDouble()).as(e.toString()).isEqualTo(from.path("x").asDouble());
        assertThat(to.path("y").asDouble())
            .as(e.toString())
            .isGreaterThan(from.path("y").asDouble());
      } else {
        // Calls, choices and hand-offs go one level deeper: to the right.
        assertThat(to.path("x").asDouble())
            .as(e.toString())
            .isGreaterThan(from.path("x").asDouble());
      }
    }
    JsonNode styles =
        page.eval(
            "['calls', 'chose', 'handoff', 'next', 'retry'].map(k => { const s ="
                + " getComputedStyle(document.querySelector('#decision-graph .dg-edge.kind-' + k));"
                + " return [s.stroke, s.strokeDasharray, s.strokeWidth].join(' '); })");
    assertThat(new java.util.HashSet<>(Chromium.JSON.convertValue(styles, List.class)))
        .as("each edge kind drawn differently: " + styles)
        .hasSize(5);
    assertThat(count("#graph-legend .legend-item[data-kind]")).isEqualTo(5);
    String stroke =
        "getComputedStyle(document.querySelector('#decision-graph g.status-%s .dg-box')).stroke";
    assertThat(page.eval(stroke.formatted("error")).asText())
        .isNotEqualTo(page.eval(stroke.formatted("ok")).asText());
    assertThat(page.text("#decision-graph g.dg-node[data-id='l3'] .dg-cost")).startsWith("$0.012");
    page.screenshotOf("#view", SCREENSHOTS.resolve("decision-graph-layout.png"));
  }

  /**
   * The graph fits its panel from the start, scaled to its width; "Actual size" draws it at full
   * size (scrolling); a graph too wide to be legible at half size scrolls at half size.
   */
  @Test
  void decisionGraph_fitsItsPanel_scrollsWhenTooLargeToFit() throws Exception {
    String fixture;
    try (var in = ChainExplorerIT.class.getResourceAsStream("/ui/decision-tree.json")) {
      fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // A hand-off chain of 14 agents: 14 layers, about 3,700 px at full size.
    StringBuilder nodes = new StringBuilder();
    StringBuilder edges = new StringBuilder();
    for (int i = 0; i < 14; i++) {
      nodes
          .append(i == 0 ? "" : ",")
          .append(
              "{\"id\":\"w%d\",\"kind\":\"agent\",\"label\":\"agent %d\",\"status\":\"ok\"}"
                  .formatted(i, i));
      if (i > 0) {
        edges
            .append(i == 1 ? "" : ",")
            .append(
                "{\"source\":\"w%d\",\"target\":\"w%d\",\"kind\":\"handoff\"}".formatted(i - 1, i));
      }
    }
    String wide = "{\"nodes\":[" + nodes + "],\"edges\":[" + edges + "]}";
    open("");
    String size =
        "(() => { const g = document.getElementById('decision-graph');"
            + " const box = g.parentElement; const r = g.getBoundingClientRect();"
            + " return {natural: g.width.baseVal.value, naturalHeight: g.height.baseVal.value,"
            + " width: r.width, height: r.height, panel: box.clientWidth,"
            + " scrolls: box.scrollWidth > box.clientWidth + 1}; })()";
    List<String> seen = new ArrayList<>();
    // Panels narrower than the graphs at full size: the fixture (about 1,900 px) fits 1,100 px
    // above half size; the hand-off chain does not fit 600 px.
    for (Map.Entry<String, Integer> graphInPanel :
        List.of(Map.entry(fixture, 1_100), Map.entry(wide, 600))) {
      page.eval(
          "(async () => { const m = await import('/ui/graph.js');"
              + " const view = document.getElementById('view'); view.style.width = '"
              + graphInPanel.getValue()
              + "px'; view.replaceChildren(m.decisionGraph("
              + graphInPanel.getKey()
              + ")); view.dataset.view = 'fixture'; return true; })()");
      JsonNode fitted = page.eval(size);
      double natural = fitted.path("natural").asDouble();
      double scale = fitted.path("width").asDouble() / natural;
      assertThat(natural).as(fitted.toString()).isGreaterThan(fitted.path("panel").asDouble());
      assertThat(fitted.path("height").asDouble() / fitted.path("naturalHeight").asDouble())
          .as("scaled, not stretched: " + fitted)
          .isCloseTo(scale, offset(0.01));
      if (natural * 0.5 <= fitted.path("panel").asDouble()) {
        assertThat(fitted.path("width").asDouble())
            .as(fitted.toString())
            .isCloseTo(fitted.path("panel").asDouble(), offset(1.0));
        assertThat(fitted.path("scrolls").asBoolean()).as(fitted.toString()).isFalse();
        assertThat(page.text("#graph-fit")).isEqualTo("Actual size");
        page.screenshotOf("#view", SCREENSHOTS.resolve("decision-graph-fitted.png"));
        page.click("#graph-fit");
        JsonNode actual = page.eval(size);
        assertThat(actual.path("width").asDouble()).isEqualTo(natural);
        assertThat(actual.path("scrolls").asBoolean()).as(actual.toString()).isTrue();
        assertThat(page.text("#graph-fit")).isEqualTo("Fit to width");
        page.screenshotOf("#view", SCREENSHOTS.resolve("decision-graph-actual-size.png"));
        page.click("#graph-fit");
        assertThat(page.eval(size).path("width").asDouble())
            .isEqualTo(fitted.path("width").asDouble());
        seen.add("fitted");
      } else {
        // Too wide to be legible in the panel: half size, scrolling.
        assertThat(scale).as(fitted.toString()).isCloseTo(0.5, offset(0.01));
        assertThat(fitted.path("scrolls").asBoolean()).as(fitted.toString()).isTrue();
        seen.add("half size");
      }
    }
    assertThat(seen).containsExactly("fitted", "half size");
    assertThat(chromium.pageErrors()).isEmpty();
  }

  @Test
  void thePageHasItsOwnPolicyAndTheApiKeepsTheStrictOne() throws Exception {
    HttpResponse<String> index = fetch("/ui/", null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(index.headers().firstValue("Content-Security-Policy"))
        .hasValue(ExplorerAssets.CONTENT_SECURITY_POLICY);
    assertThat(index.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(index.body()).doesNotContain("<script>").doesNotContain("style=");
    HttpResponse<String> bare = fetch("/ui", null);
    assertThat(bare.statusCode()).isBetween(301, 308);
    assertThat(bare.headers().firstValue("Location")).hasValue("/ui/");
    HttpResponse<String> script = fetch("/ui/app.js", null);
    assertThat(script.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/javascript");
    assertThat(fetch("/ui/nothing.js", null).statusCode()).isEqualTo(404);
    assertThat(fetch("/ui/..%2Fapp.js", null).statusCode()).isEqualTo(404);
    HttpResponse<String> data = fetch("/api/v1/chains", KEY);
    assertThat(data.headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'; frame-ancestors 'none'");
    assertThat(fetch("/api/v1/chains", null).statusCode()).isEqualTo(401);
  }

  // --- page helpers
  // -------------------------------------------------------------------------------

  /** A fresh tab (fresh session storage, signed out) on the page. */
  private void open(String hash) throws Exception {
    if (page != null) {
      page.close();
    }
    page = chromium.newPage(1400, 1000);
    {
      page.onNewDocument(
          "window.__cspViolations = [];"
              + " document.addEventListener('securitypolicyviolation',"
              + " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
      page.navigate(app.apiBase() + "/ui/" + hash);
      page.awaitTrue(
          "document.getElementById('view') && document.getElementById('view').dataset.state");
    }
  }

  /** Another view in the same tab. */
  private void go(String hash) throws Exception {
    page.eval("location.hash = " + Chromium.JSON.writeValueAsString(hash));
  }

  private void signIn(String key) throws Exception {
    page.awaitTrue("document.getElementById('signin') !== null");
    page.type("#api-key", key);
    page.pressEnter();
  }

  private static String readyScript(String view) {
    return "document.getElementById('view').dataset.state === 'ready'"
        + " && document.getElementById('view').dataset.view === '"
        + view
        + "'";
  }

  private void awaitReady(String view) throws Exception {
    page.awaitTrue(readyScript(view));
  }

  private int count(String selector) throws Exception {
    return page.eval(
            "document.querySelectorAll(" + Chromium.JSON.writeValueAsString(selector) + ").length")
        .asInt();
  }

  private String attr(String selector, String name) throws Exception {
    return page.eval(
            "document.querySelector("
                + Chromium.JSON.writeValueAsString(selector)
                + ").getAttribute('"
                + name
                + "')")
        .asText();
  }

  // --- expectations from the API
  // ------------------------------------------------------------------

  private JsonNode api(String path) throws Exception {
    HttpResponse<String> r = fetch("/api/v1" + path, KEY);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return Chromium.JSON.readTree(r.body());
  }

  private HttpResponse<String> fetch(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.apiBase() + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every page of a chain's decision tree, as one {nodes, edges}. */
  private JsonNode decisions(String traceId) throws Exception {
    var all = Chromium.JSON.createObjectNode();
    var nodes = all.putArray("nodes");
    var edges = all.putArray("edges");
    String cursor = "";
    do {
      JsonNode page =
          api(
              "/chains/"
                  + traceId
                  + "/decisions"
                  + (cursor.isEmpty()
                      ? ""
                      : "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      nodes.addAll((com.fasterxml.jackson.databind.node.ArrayNode) page.path("nodes"));
      edges.addAll((com.fasterxml.jackson.databind.node.ArrayNode) page.path("edges"));
      cursor = page.path("nextCursor").asText("");
    } while (!cursor.isEmpty());
    return all;
  }

  /** How the page writes a dollar amount (format.js usd). */
  static String usd(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return "unknown";
    }
    DecimalFormat f =
        new DecimalFormat("#,##0.######", DecimalFormatSymbols.getInstance(Locale.US));
    f.setRoundingMode(RoundingMode.HALF_EVEN);
    return "$" + f.format(new BigDecimal(value.asText()));
  }

  /** How the page writes a total that may be incomplete (format.js costText). */
  static String costText(JsonNode c) {
    JsonNode cost =
        c.path("costUsd").isNull()
            ? Chromium.JSON.getNodeFactory().numberNode(0)
            : c.path("costUsd");
    return c.path("costComplete").asBoolean()
        ? usd(cost)
        : "≥ " + usd(cost) + " · " + c.path("unpricedCalls").asInt() + " unpriced";
  }

  private static JsonNode traceIds(JsonNode items) {
    var ids = Chromium.JSON.createArrayNode();
    items.forEach(c -> ids.add(c.path("traceId").asText()));
    return ids;
  }

  private static void collect(JsonNode nodes, Map<String, JsonNode> out) {
    for (JsonNode n : nodes) {
      out.put(n.path("spanId").asText(), n);
      collect(n.path("children"), out);
    }
  }

  private static void flatten(JsonNode n, List<JsonNode> out, int depth) {
    out.add(n);
    if (depth > 0) {
      n.path("children").forEach(c -> flatten(c, out, depth - 1));
    }
  }

  static {
    try {
      Files.createDirectories(SCREENSHOTS);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
