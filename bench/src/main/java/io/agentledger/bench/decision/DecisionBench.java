package io.agentledger.bench.decision;

import io.agentledger.api.ApiLimits;
import io.agentledger.api.QueryApi;
import io.agentledger.api.QueryApiServer;
import io.agentledger.bench.report.Latencies;
import io.agentledger.bench.report.RequestTiming;
import io.agentledger.bench.report.Results;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.decision.DecisionJson;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanStatus;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.StatusCode;
import io.agentledger.core.span.Usage;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decision tree of one chain of 200 and of 100,000 spans (issue 13): deriving it at settlement
 * (roll-up, tree, store), the first page over HTTP, and the heap it takes. The chain is wide: a
 * root agent handing off to sub-agents, each a loop of model calls that choose a tool, the tool's
 * execution (every 20th fails and is retried), and a recorded decision every 10 steps.
 */
public final class DecisionBench {

  private static final String PROJECT = "bench";
  private static final String KEY = "bench-key-0123456789abcdef";
  private static final long T0 = 1_763_900_000_000_000_000L;

  private DecisionBench() {}

  public static void run(Path dir, boolean smoke, Results results, String cmd) throws Exception {
    Path file = dir.resolve("decisions.duckdb");
    Files.deleteIfExists(file);
    try (DuckDbSpanStore store = DuckDbSpanStore.open(file, Clock.systemUTC())) {
      for (int size : smoke ? new int[] {200, 5_000} : new int[] {200, 100_000}) {
        measure(store, size, results, cmd);
      }
    }
  }

  private static void measure(DuckDbSpanStore store, int size, Results results, String cmd)
      throws Exception {
    String traceId = String.format(Locale.ROOT, "%032x", 0xd0c1_0000L + size);
    List<AgentSpan> spans = chain(traceId, size);
    long heapBefore = heapAfterGc();

    long t0 = System.nanoTime();
    ChainRollupResult rollup = ChainRollup.compute(spans);
    long t1 = System.nanoTime();
    DecisionTree tree = DecisionTree.of(rollup);
    long t2 = System.nanoTime();
    long heapWithTree =
        heapAfterGc(); // spans, roll-up and tree all reachable: what settlement holds
    long t3 = System.nanoTime();
    store.replaceDecisionTrees(PROJECT, List.of(tree));
    long t4 = System.nanoTime();
    long jsonBytes = 0;
    for (DecisionJson.Row row : DecisionJson.rows(tree)) {
      jsonBytes += DecisionJson.write(row).length();
    }
    int nodes = tree.nodes().size();
    int edges = tree.edges().size();
    String label =
        String.format(Locale.ROOT, "%,d-span chain (%,d nodes, %,d edges)", size, nodes, edges);
    results.add(
        "Decision trees",
        "derive: roll-up + tree + store, " + label,
        String.format(
            Locale.ROOT,
            "%.1f ms (roll-up %.1f, tree %.1f, store %.1f); %,d bytes stored, %.0f bytes/node",
            (t2 - t0 + t4 - t3) / 1e6,
            (t1 - t0) / 1e6,
            (t2 - t1) / 1e6,
            (t4 - t3) / 1e6,
            jsonBytes,
            (double) jsonBytes / nodes),
        cmd);
    results.add(
        "Decision trees",
        "heap held while deriving, " + label,
        String.format(
            Locale.ROOT,
            "%,d MiB (roll-up + tree retained beside the spans, after GC; max heap %,d MiB)",
            (heapWithTree - heapBefore) >> 20,
            Runtime.getRuntime().maxMemory() >> 20),
        cmd);
    spans = null;
    rollup = null;
    tree = null;
    firstPage(store, traceId, label, results, cmd);
  }

  private static void firstPage(
      DuckDbSpanStore store, String traceId, String label, Results results, String cmd)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    QueryApi api =
        new QueryApi(
            store,
            ApiKeys.parse(PROJECT + ":" + KEY),
            PriceCatalog.bundled(),
            registry,
            Clock.systemUTC(),
            "bench",
            new ApiLimits(
                TenantLimiter.Limits.unlimited(),
                ApiLimits.defaults().maxChainSpans(),
                ApiLimits.defaults().maxCostCells(),
                ApiLimits.defaults().maxPriceOverrides(),
                ApiLimits.defaults().idleTimeout(),
                ApiLimits.defaults().warningInterval()));
    try (QueryApiServer server =
        new QueryApiServer(api, registry, List.of()).start("127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      URI first =
          URI.create(
              "http://127.0.0.1:"
                  + server.port()
                  + QueryApi.ROOT
                  + "/chains/"
                  + traceId
                  + "/decisions");
      long[] heapServing = {0};
      int[] bytes = {0};
      Latencies latencies =
          RequestTiming.measure(
              20,
              200,
              () ->
                  http.send(
                      HttpRequest.newBuilder(first)
                          .header("Authorization", "Bearer " + KEY)
                          .build(),
                      HttpResponse.BodyHandlers.ofString()),
              (r, measured) -> {
                bytes[0] = r.body().length();
                heapServing[0] = Math.max(heapServing[0], heapUsed());
              });
      results.add(
          "Decision trees",
          "first page (500 nodes) of the stored tree over HTTP, " + label,
          latencies.summary()
              + String.format(
                  Locale.ROOT,
                  "; %,d bytes; heap in use while serving (garbage included) ≤ %,d MiB",
                  bytes[0],
                  heapServing[0] >> 20),
          cmd);
    }
  }

  /** The chain: root agent → sub-agents of 200 spans each, until {@code size} spans. */
  public static List<AgentSpan> chain(String traceId, int size) {
    List<AgentSpan> out = new ArrayList<>(size);
    String root = spanId(0);
    List<SpanEvent> rootEvents = new ArrayList<>();
    int next = 1;
    long t = T0;
    int agentNo = 0;
    while (next < size) {
      String agentId = spanId(next++);
      String agentName = "worker-" + (agentNo++ % 20);
      rootEvents.add(
          new SpanEvent(t, "agentledger.handoff", Map.of("agentledger.handoff.to", agentName)));
      long agentStart = t;
      List<SpanEvent> agentEvents = new ArrayList<>();
      int step = 0;
      while (next < size && step < 100) {
        String callId = "call_" + next;
        String tool = "tool_" + (step % 7);
        out.add(
            span(traceId, spanId(next++), agentId, t, t + 2_000_000, "chat", SpanType.LLM)
                .semantics(sem(SpanType.LLM, agentName, "gpt-4o", "", "", List.of("tool_calls")))
                .usage(Usage.of(1_000, 100))
                .cost(
                    new Cost(
                        new BigDecimal("0.0035"), CostSource.COMPUTED, "openai/gpt-4o", "x", ""))
                .billingRole(BillingRole.BILLABLE)
                .attributes(
                    Map.of(
                        "gen_ai.output.messages",
                        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\""
                            + callId
                            + "\",\"name\":\""
                            + tool
                            + "\",\"arguments\":{\"q\":\"query number "
                            + step
                            + "\"}}]}]"))
                .build());
        t += 2_000_000;
        boolean fails = step % 20 == 19;
        for (int attempt = 0; attempt < (fails ? 2 : 1) && next < size; attempt++) {
          AgentSpan.Builder b =
              span(
                      traceId,
                      spanId(next++),
                      agentId,
                      t,
                      t + 1_000_000,
                      "execute_tool",
                      SpanType.TOOL)
                  .semantics(sem(SpanType.TOOL, agentName, "", tool, callId, List.of()))
                  .attributes(
                      Map.of(
                          "gen_ai.tool.call.arguments", "{\"q\":\"query number " + step + "\"}"));
          if (fails && attempt == 0) {
            b.status(new SpanStatus(StatusCode.ERROR, "timeout", "TimeoutException"));
          }
          out.add(b.build());
          t += 1_000_000;
        }
        if (step % 10 == 0) {
          agentEvents.add(
              new SpanEvent(
                  t,
                  "agentledger.decision",
                  Map.of(
                      "agentledger.decision.name", "next_step",
                      "agentledger.decision.options", "[\"search\",\"answer\",\"ask\"]",
                      "agentledger.decision.chosen", "search")));
        }
        step++;
      }
      out.add(
          span(traceId, agentId, root, agentStart, t, "invoke_agent " + agentName, SpanType.AGENT)
              .semantics(sem(SpanType.AGENT, agentName, "", "", "", List.of()))
              .events(agentEvents)
              .build());
    }
    out.add(
        span(traceId, root, "", T0, t, "invoke_agent planner", SpanType.AGENT)
            .semantics(sem(SpanType.AGENT, "planner", "", "", "", List.of()))
            .events(rootEvents)
            .build());
    return out;
  }

  private static AgentSpan.Builder span(
      String traceId, String id, String parent, long start, long end, String name, SpanType type) {
    return AgentSpan.builder()
        .project(PROJECT)
        .traceId(traceId)
        .spanId(id)
        .parentSpanId(parent)
        .startEpochNanos(start)
        .endEpochNanos(end)
        .name(name)
        .serviceName("bench");
  }

  private static AgentSemantics sem(
      SpanType type, String agent, String model, String tool, String callId, List<String> finish) {
    return new AgentSemantics(
        type,
        "",
        agent,
        "",
        "",
        "",
        "",
        model.isEmpty() ? "" : "openai",
        model,
        model,
        tool,
        callId,
        finish);
  }

  private static String spanId(int n) {
    return String.format(Locale.ROOT, "%016x", 0x5000_0000_0000L + n);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return heapUsed();
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }
}
