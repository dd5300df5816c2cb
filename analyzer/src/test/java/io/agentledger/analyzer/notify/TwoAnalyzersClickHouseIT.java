package io.agentledger.analyzer.notify;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.analyzer.alert.AlertEvaluator;
import io.agentledger.analyzer.anomaly.AnomalyConfig;
import io.agentledger.analyzer.anomaly.AnomalyNotifier;
import io.agentledger.analyzer.anomaly.DetectionCycle;
import io.agentledger.analyzer.lease.Leases;
import io.agentledger.analyzer.regress.RegressionConfig;
import io.agentledger.analyzer.regress.RegressionDetector;
import io.agentledger.analyzer.regress.RegressionRunner;
import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.clickhouse.embedded.LocalClickHouseAvailable;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertRules;
import io.agentledger.store.RunSummary;
import io.agentledger.store.clickhouse.ClickHouseSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two analyzer instances — each with its own store connection, leases, detection cycle, alert
 * evaluator, regression runner and webhook worker, all running in the background — on ONE real
 * ClickHouse (clickhouse-local from libchdb), delivering to one webhook receiver: every anomaly,
 * alert transition and regression arrives exactly once, also after one instance stops.
 */
@ExtendWith(LocalClickHouseAvailable.class)
class TwoAnalyzersClickHouseIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** TestSpans' T0; the analyzers' clock runs from ten minutes after it. */
  private static final Instant T0 = Instant.ofEpochSecond(1_763_900_000L);

  /**
   * Long enough for a delivery (twice the HTTP timeout, and a second for its save) to start in most
   * of a term. A short HTTP timeout on a busy machine would make the sender retry what the receiver
   * already took: a duplicate of HTTP, which the delivery header is for, not of two analyzers.
   */
  private static final Duration TERM = Duration.ofSeconds(10);

  private final Clock clock =
      Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), T0.plusSeconds(600)));
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private Receiver webhook;
  private String database;

  @AfterEach
  void stop() throws Exception {
    while (!open.isEmpty()) {
      open.pop().close();
    }
  }

  private ClickHouseSpanStore connect() {
    LocalClickHouse clickHouse = LocalClickHouse.shared();
    Properties credentials = new Properties();
    credentials.setProperty("user", clickHouse.user());
    credentials.setProperty("password", clickHouse.password());
    ClickHouseSpanStore store =
        ClickHouseSpanStore.open(clickHouse.jdbcUrl(database), credentials, Duration.ZERO, clock);
    open.push(store);
    return store;
  }

  /** One analyzer instance, started; closing what it returns stops it (the store stays open). */
  private AutoCloseable analyzer(String name) {
    ClickHouseSpanStore store = connect();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String sinkJob = Leases.sink("webhook");
    Leases leases =
        new Leases(
            store,
            name,
            List.of(Leases.ANOMALIES, Leases.ALERTS, Leases.REGRESSIONS, sinkJob),
            TERM,
            clock);
    leases.start();
    Notifications notifications = new Notifications(store, List.of("webhook"), registry);
    SinkWorker worker =
        new SinkWorker(
            new WebhookSink(
                webhook.url("/hook"), "secret", new HttpSender(Duration.ofSeconds(2)), clock),
            store,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofHours(1)),
            clock,
            registry);
    worker.start(Duration.ofMillis(50), leases.lease(sinkJob));
    AlertEvaluator alerts = new AlertEvaluator(store, store, notifications, clock, registry);
    alerts.start(Duration.ofMillis(200), leases.lease(Leases.ALERTS));
    RegressionRunner regressions =
        new RegressionRunner(
            store,
            store,
            notifications,
            new RegressionDetector(RegressionConfig.defaults()),
            () -> List.of("p"),
            clock,
            registry);
    regressions.start(Duration.ofMillis(300), leases.lease(Leases.REGRESSIONS));
    DetectionCycle anomalies =
        new DetectionCycle(
            store,
            store,
            () -> List.of("p"),
            clock,
            AnomalyConfig.from(
                AnomalyConfig.SETTINGS.load(Map.of("AGENTLEDGER_ANOMALY_INTERVAL", "1s"))),
            new AnomalyNotifier(notifications),
            registry);
    anomalies.start(leases.lease(Leases.ANOMALIES));
    AutoCloseable instance =
        () -> {
          anomalies.close();
          regressions.close();
          alerts.close();
          worker.close();
          leases.close();
        };
    open.push(instance);
    return instance;
  }

  @Test
  void everyTransition_isDeliveredOnce_byTwoAnalyzersOnOneClickHouse() throws Exception {
    LocalClickHouse clickHouse = LocalClickHouse.shared();
    database = "two_analyzers_" + ProcessHandle.current().pid();
    clickHouse.query("DROP DATABASE IF EXISTS " + database);
    clickHouse.query("CREATE DATABASE " + database);
    webhook = new Receiver(() -> 200);
    open.push(webhook);
    ClickHouseSpanStore data = connect();

    // An alert rule over a chain that breaches it.
    List<AgentSpan> chain = new ArrayList<>();
    chain.add(span("root", null).trace(trace(1)).project("p").agent("planner").build());
    chain.add(
        span("llm", "root")
            .trace(trace(1))
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(100, 10, "1.25")
            .at(60_000, 1000)
            .build());
    data.append(chain);
    data.saveRollups(List.of(ChainRollup.compute(chain)));
    AlertRule rule = budget(true);
    data.saveAlertRule(rule);
    // A version 30 % slower than the one before it, and a cost spike of another agent just now.
    List<RunSummary> runs = new ArrayList<>();
    Random rng = new Random(7);
    Instant now = clock.instant();
    for (int i = 0; i < 200; i++) {
      runs.add(run(rng, "planner", "1", now.minus(Duration.ofDays(2)).plusSeconds(60L * i), 1.0));
      runs.add(run(rng, "planner", "2", now.minus(Duration.ofDays(1)).plusSeconds(60L * i), 1.3));
    }
    for (int i = 0; i < 300; i++) {
      runs.add(costRun(rng, now.minus(Duration.ofMinutes(10L * (300 - i) + 20)), 0.20));
    }
    for (int i = 1; i <= 3; i++) {
      runs.add(costRun(rng, now.minus(Duration.ofMinutes(i)), 0.90));
    }
    data.replaceRuns("p", runs.stream().map(RunSummary::traceId).toList(), runs);

    AutoCloseable first = analyzer("analyzer-a");
    analyzer("analyzer-b");

    await()
        .atMost(Duration.ofSeconds(150))
        .untilAsserted(
            () ->
                assertThat(received().values().stream().map(n -> n.path("source").asText()))
                    .contains("alert", "regression", "anomaly"));

    // One instance stops; the other takes over every job. The rule is disabled: it resolves.
    first.close();
    data.saveAlertRule(budget(false));
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(received().values())
                    .anyMatch(
                        n ->
                            n.path("source").asText().equals("alert")
                                && n.path("status").asText().equals("resolved")));

    // Some more cycles and terms of the instance left: nothing arrives twice.
    await()
        .during(Duration.ofSeconds(12))
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Map<String, Long> counts =
                  webhook.accepted().stream()
                      .map(r -> id(r.body()))
                      .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
              assertThat(counts).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            });
    Map<String, JsonNode> all = received();
    assertThat(all.values())
        .filteredOn(n -> n.path("source").asText().equals("alert"))
        .extracting(n -> n.path("status").asText())
        .containsExactlyInAnyOrder("firing", "resolved");
    assertThat(all.values())
        .filteredOn(n -> n.path("source").asText().equals("regression"))
        .singleElement()
        .satisfies(n -> assertThat(n.path("labels").path("agent").asText()).isEqualTo("planner"));
    assertThat(all.values())
        .filteredOn(n -> n.path("source").asText().equals("anomaly"))
        .allSatisfy(n -> assertThat(n.path("labels").path("agent").asText()).isEqualTo("writer"));
    // Both stores agree that each transition is delivered.
    assertThat(data.pendingDeliveries("webhook", 100)).isEmpty();
  }

  private AlertRule budget(boolean enabled) {
    return new AlertRule(
        "p",
        "hourly",
        "more than $1 per hour",
        AlertRules.BUDGET,
        "project",
        "",
        Duration.ofHours(1),
        1.0,
        0,
        "warning",
        enabled,
        T0,
        T0);
  }

  /** Every notification received, by id (the last copy when one came twice). */
  private Map<String, JsonNode> received() throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    for (Receiver.Request r : webhook.accepted()) {
      JsonNode n = JSON.readTree(r.body());
      out.put(n.path("id").asText(), n);
    }
    return out;
  }

  private static String id(byte[] body) {
    try {
      return JSON.readTree(body).path("id").asText();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String trace(long n) {
    return String.format("%032x", 0xfeed00L + n);
  }

  private static int runs;

  private static RunSummary run(
      Random rng, String agent, String version, Instant start, double slower) {
    double latency = 2000 * slower * Math.exp(0.3 * rng.nextGaussian());
    double cost = 0.02 * Math.exp(0.3 * rng.nextGaussian());
    return summary(agent, version, start, Math.round(latency), cost);
  }

  private static RunSummary costRun(Random rng, Instant start, double median) {
    return summary("writer", "1.0", start, 1500, median * Math.exp(0.1 * rng.nextGaussian()));
  }

  private static RunSummary summary(
      String agent, String version, Instant start, long latencyMs, double cost) {
    String trace = trace(1000 + runs++);
    long tokens = Math.round(cost * 100_000);
    return new RunSummary(
        "p",
        trace,
        trace.substring(16),
        agent,
        version,
        "svc",
        "",
        "",
        start,
        latencyMs,
        BigDecimal.valueOf(cost).setScale(6, RoundingMode.HALF_UP),
        true,
        tokens * 4 / 5,
        tokens / 5,
        2,
        1,
        0,
        0,
        List.of("gpt-4o"),
        List.of("llm:gpt-4o ×2", "tool:search"),
        null);
  }
}
