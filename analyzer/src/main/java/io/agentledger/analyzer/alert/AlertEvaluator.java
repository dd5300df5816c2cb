package io.agentledger.analyzer.alert;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.analyzer.lease.LeasedSchedule;
import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertRules;
import io.agentledger.store.AlertState;
import io.agentledger.store.AlertStore;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQueries;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.Notification;
import io.agentledger.store.TimeRange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every project's alert rules on a fixed cycle, reading costs through {@link
 * CostQueries#costs} (the same aggregation as {@code GET /costs}, so an alert and the API agree).
 *
 * <p>Each enabled rule is measured over {@code [now - window, now)}, grouped by its scope; every
 * group above the threshold is an alert, identified by rule and scope value. An alert fires when it
 * first breaches and resolves at the first evaluation it no longer does (its group fell under the
 * threshold or out of the window, or its rule was deleted or disabled). Each transition is
 * published before the alert's state is saved, with an id derived from the stored state, so a crash
 * in between publishes the same transition again and the outbox keeps it once.
 */
public final class AlertEvaluator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

  private final AlertStore alerts;
  private final CostQueries costs;
  private final Notifications notifications;
  private final Clock clock;
  private final Counter fired;
  private final Counter resolved;
  private final Counter failures;
  private final LeasedSchedule schedule = new LeasedSchedule("alert-evaluator");

  public AlertEvaluator(
      AlertStore alerts,
      CostQueries costs,
      Notifications notifications,
      Clock clock,
      MeterRegistry registry) {
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.costs = Objects.requireNonNull(costs, "costs");
    this.notifications = Objects.requireNonNull(notifications, "notifications");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fired = transitions(registry, AlertState.FIRING);
    this.resolved = transitions(registry, AlertState.RESOLVED);
    this.failures =
        Counter.builder("agentledger.alerts.evaluation.failures")
            .description("Alert evaluation rounds that failed (retried next cycle)")
            .register(registry);
  }

  private static Counter transitions(MeterRegistry registry, String status) {
    return Counter.builder("agentledger.alerts.transitions")
        .description("Alert rule alerts that started firing or resolved")
        .tag("status", status)
        .register(registry);
  }

  /**
   * Evaluates every rule once.
   *
   * @return the transitions published (firing and resolved)
   */
  public List<Notification> evaluateOnce() {
    Instant now = clock.instant();
    Map<List<String>, AlertState> open = new LinkedHashMap<>();
    for (AlertState s : alerts.firingAlertStates()) {
      open.put(List.of(s.project(), s.id()), s);
    }
    List<Notification> published = new ArrayList<>();
    for (AlertRule rule : alerts.allAlertRules()) {
      if (!rule.enabled()) {
        continue;
      }
      for (Observation o : observe(rule, now)) {
        AlertState before = open.remove(List.of(rule.project(), o.alertId()));
        if (o.breached()) {
          published.addAll(fire(rule, o, before, now));
        } else if (before != null) {
          published.add(resolve(before, o.observed(), o.summary(), now));
        }
      }
    }
    // Firing alerts no group matched this round: their rule is gone or disabled, or their group
    // had no billable spans in the window.
    for (AlertState s : open.values()) {
      boolean ruleActive =
          alerts.alertRule(s.project(), s.ruleId()).map(AlertRule::enabled).orElse(false);
      double observed = ruleActive ? 0 : s.observed();
      String why = ruleActive ? "no spend in the window" : "rule deleted or disabled";
      published.add(resolve(s, observed, s.summary() + " — resolved: " + why, now));
    }
    return published;
  }

  private List<Notification> fire(
      AlertRule rule, Observation o, @Nullable AlertState before, Instant now) {
    if (before != null) { // still firing: refresh what the API shows, no transition
      alerts.saveAlertStates(
          List.of(state(rule, o, AlertState.FIRING, before.firstSeen(), now, o.summary())));
      return List.of();
    }
    // The id's key comes from what is stored (the previous resolution, if any), so a retry after
    // a crash before the state is saved publishes the same notification id.
    Instant previous =
        alerts.alertStates(rule.project()).stream()
            .filter(s -> s.id().equals(o.alertId()))
            .map(AlertState::lastSeen)
            .findFirst()
            .orElse(Instant.EPOCH);
    AlertState state = state(rule, o, AlertState.FIRING, now, now, o.summary());
    Notification n =
        notification(
            state, Notification.idOf(state.id(), AlertState.FIRING, previous), rule.kind());
    notifications.publish(n);
    alerts.saveAlertStates(List.of(state));
    fired.increment();
    return List.of(n);
  }

  private Notification resolve(AlertState s, double observed, String summary, Instant now) {
    String kind =
        alerts.alertRule(s.project(), s.ruleId()).map(AlertRule::kind).orElse(kindOf(s.metric()));
    AlertState state =
        new AlertState(
            s.project(),
            s.id(),
            s.ruleId(),
            s.subject(),
            s.metric(),
            observed,
            s.threshold(),
            s.severity(),
            AlertState.RESOLVED,
            s.firstSeen(),
            now,
            summary);
    Notification n =
        notification(state, Notification.idOf(s.id(), AlertState.RESOLVED, s.firstSeen()), kind);
    notifications.publish(n);
    alerts.saveAlertStates(List.of(state));
    resolved.increment();
    return n;
  }

  private static String kindOf(String metric) {
    return switch (metric) {
      case AlertRules.METRIC_BURN_RATE -> AlertRules.BURN_RATE;
      case AlertRules.METRIC_UNPRICED -> AlertRules.UNPRICED_SHARE;
      default -> AlertRules.BUDGET;
    };
  }

  private static Notification notification(AlertState s, String id, String kind) {
    Map<String, String> labels = new LinkedHashMap<>(s.subject());
    labels.put("rule", s.ruleId());
    Map<String, String> values = new LinkedHashMap<>();
    values.put("metric", s.metric());
    values.put("observed", format(s.observed()));
    values.put("threshold", format(s.threshold()));
    return new Notification(
        s.project(),
        id,
        s.id(),
        "alert",
        kind,
        s.status(),
        s.severity(),
        s.summary(),
        labels,
        values,
        s.firstSeen(),
        s.lastSeen());
  }

  private static AlertState state(
      AlertRule rule, Observation o, String status, Instant first, Instant last, String summary) {
    return new AlertState(
        rule.project(),
        o.alertId(),
        rule.id(),
        o.subject(),
        AlertRules.metric(rule.kind()),
        o.observed(),
        rule.threshold(),
        rule.severity(),
        status,
        first,
        last,
        summary);
  }

  /** What a rule measures now, one observation per group of its scope. */
  List<Observation> observe(AlertRule rule, Instant now) {
    Optional<CostDimension> dim = AlertRules.dimension(rule.scope());
    CostReport report =
        costs.costs(
            rule.project(),
            new CostQuery(
                new TimeRange(now.minus(rule.window()), now),
                dim.map(List::of).orElse(List.of()),
                Optional.empty()));
    List<Observation> out = new ArrayList<>();
    for (CostReport.Group g : report.groups()) {
      Map<String, String> subject = new HashMap<>();
      String value = "";
      if (dim.isPresent()) {
        value = g.key().getOrDefault(dim.get().apiName(), "");
        // Spend with no agent or user (yet: a chain's agent and user are settled with it) is no
        // one's: a per-agent or per-user rule leaves it out, a project rule counts it.
        if (value.isEmpty()) {
          continue;
        }
        if (!rule.match().isEmpty() && !rule.match().equals(value)) {
          continue;
        }
        subject.put(dim.get().apiName(), value);
      }
      double observed = measure(rule, g);
      boolean judged = g.llmCalls() >= Math.max(1, rule.minCalls());
      boolean breached = judged && observed > rule.threshold();
      out.add(
          new Observation(
              alertId(rule, dim.isPresent() ? value : null),
              subject,
              observed,
              breached,
              summary(rule, subject, observed, breached)));
    }
    return out;
  }

  private static double measure(AlertRule rule, CostReport.Group g) {
    return switch (rule.kind()) {
      case AlertRules.BURN_RATE ->
          g.costUsd().doubleValue()
              / (rule.window().toMillis() / (double) Duration.ofHours(1).toMillis());
      case AlertRules.UNPRICED_SHARE ->
          g.llmCalls() == 0 ? 0 : g.unpricedCalls() / (double) g.llmCalls();
      default -> g.costUsd().doubleValue();
    };
  }

  private static String summary(
      AlertRule rule, Map<String, String> subject, double observed, boolean breached) {
    String who =
        subject.isEmpty()
            ? "project " + rule.project()
            : subject.entrySet().iterator().next().getKey()
                + " "
                + subject.entrySet().iterator().next().getValue();
    String window = io.agentledger.core.config.Settings.format(rule.window());
    String measured =
        switch (rule.kind()) {
          case AlertRules.BURN_RATE -> "$" + format(observed) + "/h over the last " + window;
          case AlertRules.UNPRICED_SHARE ->
              format(observed * 100) + "% unpriced calls over the last " + window;
          default -> "$" + format(observed) + " in the last " + window;
        };
    String limit =
        rule.kind().equals(AlertRules.UNPRICED_SHARE)
            ? format(rule.threshold() * 100) + "%"
            : "$"
                + format(rule.threshold())
                + (rule.kind().equals(AlertRules.BURN_RATE) ? "/h" : "");
    return rule.name()
        + ": "
        + who
        + " at "
        + measured
        + (breached ? " (above " : " (limit ")
        + limit
        + ")";
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** {@code alert-<rule>} for a project-wide rule, else {@code alert-<rule>-<hash of value>}. */
  static String alertId(AlertRule rule, @Nullable String scopeValue) {
    if (scopeValue == null) {
      return "alert-" + rule.id();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(scopeValue.getBytes(StandardCharsets.UTF_8));
      return "alert-" + rule.id() + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** One group of a rule's scope as measured now. */
  record Observation(
      String alertId,
      Map<String, String> subject,
      double observed,
      boolean breached,
      String summary) {}

  /** Evaluates in the background every {@code interval} until {@link #close}. */
  public void start(Duration interval) {
    start(interval, Lease.ALWAYS);
  }

  /**
   * Evaluates in the background every {@code interval}, when this instance holds the lease, until
   * {@link #close}.
   */
  public void start(Duration interval, Lease lease) {
    schedule.start(interval, interval, lease, this::evaluateSafely);
  }

  private void evaluateSafely() {
    try {
      evaluateOnce();
    } catch (RuntimeException e) {
      failures.increment();
      // Nothing is lost: states not saved are re-evaluated, transitions re-published with the
      // same ids at the next cycle.
      LOG.warn("Evaluating alert rules failed, will retry: {}", e.toString(), e);
    }
  }

  /** Stops evaluating, waiting up to {@code timeout} for a round in progress. */
  public void close(Duration timeout) {
    schedule.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
