package io.agentledger.analyzer.alert;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertRules;
import io.agentledger.store.AlertState;
import io.agentledger.store.AlertStore;
import io.agentledger.store.Notification;
import io.agentledger.store.PendingDelivery;
import io.agentledger.store.TestClock;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertEvaluatorTest {

  /** TestSpans' T0: 2025-11-23T12:13:20Z. */
  static final Instant T0 = Instant.ofEpochSecond(1_763_900_000L);

  private TestClock clock;
  private DuckDbSpanStore store;
  private AlertEvaluator evaluator;

  @BeforeEach
  void open() {
    clock = new TestClock(T0.plus(Duration.ofMinutes(10)));
    store = DuckDbSpanStore.inMemory(clock);
    evaluator = evaluator(store);
  }

  private AlertEvaluator evaluator(AlertStore alerts) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return new AlertEvaluator(
        alerts, store, new Notifications(store, List.of("webhook"), registry), clock, registry);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A chain of one user: an agent and one model call per cost (null: unpriced). */
  static List<AgentSpan> chain(String trace, String user, String... costs) {
    List<AgentSpan> spans = new ArrayList<>();
    spans.add(span("root", null).trace(trace).project("p").agent("planner").user(user).build());
    for (int i = 0; i < costs.length; i++) {
      var b = span("llm" + i, "root").trace(trace).project("p").llm("openai", "gpt-4o").user(user);
      spans.add(
          (costs[i] == null ? b.unpricedUsage(100, 10) : b.usage(100, 10, costs[i]))
              .at(i + 1, 1)
              .build());
    }
    return spans;
  }

  private void ingest(List<AgentSpan> spans) {
    store.append(spans);
    store.saveRollups(List.of(ChainRollup.compute(spans)));
  }

  static AlertRule rule(
      String id,
      String kind,
      String scope,
      String match,
      Duration window,
      double threshold,
      long minCalls) {
    return new AlertRule(
        "p", id, id, kind, scope, match, window, threshold, minCalls, "warning", true, T0, T0);
  }

  private static String trace(int n) {
    return String.format("%032x", 0xbeef00L + n);
  }

  @Test
  void budgetPerUser_firesOnce_staysQuiet_thenResolvesOnce_whenTheWindowRollsOn() {
    ingest(chain(trace(1), "u-1", "0.40"));
    ingest(chain(trace(2), "u-1", "0.30"));
    ingest(chain(trace(3), "u-2", "0.10"));
    store.saveAlertRule(rule("daily", AlertRules.BUDGET, "userId", "", Duration.ofDays(1), 0.5, 0));

    List<Notification> first = evaluator.evaluateOnce();
    // u-1 spent 0.40 + 0.30 = 0.70 > 0.50; u-2 spent 0.10
    assertThat(first)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.status()).isEqualTo("firing");
              assertThat(n.source()).isEqualTo("alert");
              assertThat(n.kind()).isEqualTo("budget");
              assertThat(n.labels()).containsEntry("userId", "u-1").containsEntry("rule", "daily");
              assertThat(n.values())
                  .containsEntry("observed", "0.7")
                  .containsEntry("threshold", "0.5");
              assertThat(n.summary()).contains("userId u-1").contains("$0.7");
            });
    assertThat(store.alertStates("p"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.firing()).isTrue();
              assertThat(s.subject()).isEqualTo(Map.of("userId", "u-1"));
              assertThat(s.observed()).isEqualTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
            });

    clock.advance(Duration.ofMinutes(1));
    ingest(chain(trace(4), "u-1", "0.05")); // still above: no new transition
    assertThat(evaluator.evaluateOnce()).isEmpty();
    assertThat(store.alertStates("p").get(0).observed())
        .isEqualTo(0.75, org.assertj.core.data.Offset.offset(1e-9));

    clock.advance(Duration.ofDays(1)); // every span has left the window
    List<Notification> resolved = evaluator.evaluateOnce();
    assertThat(resolved)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.status()).isEqualTo("resolved");
              assertThat(n.findingId()).isEqualTo(first.get(0).findingId());
              assertThat(n.labels()).isEqualTo(first.get(0).labels());
              assertThat(n.startsAt()).isEqualTo(first.get(0).startsAt());
              assertThat(n.at()).isEqualTo(clock.instant());
            });
    assertThat(evaluator.evaluateOnce()).isEmpty();
    assertThat(store.pendingDeliveries("webhook", 10))
        .extracting(PendingDelivery::notification)
        .extracting(Notification::status)
        .containsExactly("firing", "resolved");
  }

  @Test
  void unpricedShare_judgesOnlyWithEnoughCalls() {
    ingest(chain(trace(1), "u-1", "0.10", null, null)); // 2 of 3 calls unpriced
    store.saveAlertRule(
        rule("unpriced", AlertRules.UNPRICED_SHARE, "project", "", Duration.ofHours(1), 0.5, 4));
    assertThat(evaluator.evaluateOnce()).isEmpty(); // 3 calls < minCalls 4

    store.saveAlertRule(
        rule("unpriced", AlertRules.UNPRICED_SHARE, "project", "", Duration.ofHours(1), 0.5, 3));
    assertThat(evaluator.evaluateOnce())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.labels()).containsOnlyKeys("rule");
              assertThat(n.values())
                  .containsEntry("observed", "0.6667")
                  .containsEntry("metric", "unpriced_share");
            });
  }

  @Test
  void burnRate_isCostPerHourOverTheWindow_andOnlyTheMatchedAgent() {
    ingest(chain(trace(1), "u-1", "0.50", "0.20")); // 0.70 in 2 h = 0.35 $/h
    store.saveAlertRule(
        rule("burn", AlertRules.BURN_RATE, "agent", "planner", Duration.ofHours(2), 0.3, 0));
    store.saveAlertRule(
        rule("other-agent", AlertRules.BURN_RATE, "agent", "writer", Duration.ofHours(2), 0.01, 0));
    store.saveAlertRule(
        rule("calm", AlertRules.BURN_RATE, "agent", "", Duration.ofHours(2), 0.4, 0));
    assertThat(evaluator.evaluateOnce())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.labels())
                  .containsEntry("agent", "planner")
                  .containsEntry("rule", "burn");
              assertThat(n.values()).containsEntry("observed", "0.35");
              assertThat(n.kind()).isEqualTo("burn_rate");
            });
  }

  @Test
  void deletingOrDisablingARule_resolvesItsAlerts() {
    ingest(chain(trace(1), "u-1", "0.70"));
    store.saveAlertRule(rule("a", AlertRules.BUDGET, "model", "", Duration.ofDays(1), 0.5, 0));
    store.saveAlertRule(rule("b", AlertRules.BUDGET, "project", "", Duration.ofDays(1), 0.5, 0));
    assertThat(evaluator.evaluateOnce()).hasSize(2);

    store.deleteAlertRule("p", "a");
    AlertRule b = store.alertRule("p", "b").orElseThrow();
    store.saveAlertRule(
        new AlertRule(
            b.project(),
            b.id(),
            b.name(),
            b.kind(),
            b.scope(),
            b.match(),
            b.window(),
            b.threshold(),
            b.minCalls(),
            b.severity(),
            false,
            b.createdAt(),
            clock.instant()));
    assertThat(evaluator.evaluateOnce())
        .extracting(Notification::status, n -> n.labels().get("rule"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("resolved", "a"),
            org.assertj.core.groups.Tuple.tuple("resolved", "b"));
    assertThat(store.firingAlertStates()).isEmpty();
    assertThat(evaluator.evaluateOnce()).isEmpty();
  }

  @Test
  void aCrashBetweenPublishingAndSavingTheState_publishesTheSameNotificationOnce() {
    ingest(chain(trace(1), "u-1", "0.70"));
    store.saveAlertRule(
        rule("daily", AlertRules.BUDGET, "project", "", Duration.ofDays(1), 0.5, 0));
    AlertEvaluator crashing = evaluator(new FailingStateSaves(store));
    assertThatThrownBy(crashing::evaluateOnce).hasMessageContaining("crash");
    assertThat(store.alertStates("p")).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    List<Notification> again = evaluator.evaluateOnce();
    assertThat(again).hasSize(1);
    // the retry's notification has the first attempt's id: the outbox holds one
    assertThat(store.pendingDeliveries("webhook", 10)).hasSize(1);
    assertThat(store.pendingDeliveries("webhook", 10).get(0).notification().id())
        .isEqualTo(again.get(0).id());
  }

  /** An alert store whose state saves fail, as if the process died right before them. */
  private record FailingStateSaves(AlertStore delegate) implements AlertStore {
    @Override
    public void saveAlertRule(AlertRule rule) {
      delegate.saveAlertRule(rule);
    }

    @Override
    public Optional<AlertRule> alertRule(String project, String id) {
      return delegate.alertRule(project, id);
    }

    @Override
    public List<AlertRule> alertRules(String project) {
      return delegate.alertRules(project);
    }

    @Override
    public List<AlertRule> allAlertRules() {
      return delegate.allAlertRules();
    }

    @Override
    public boolean deleteAlertRule(String project, String id) {
      return delegate.deleteAlertRule(project, id);
    }

    @Override
    public void saveAlertStates(List<AlertState> states) {
      throw new IllegalStateException("crash");
    }

    @Override
    public List<AlertState> alertStates(String project) {
      return delegate.alertStates(project);
    }

    @Override
    public List<AlertState> firingAlertStates() {
      return delegate.firingAlertStates();
    }
  }
}
