package io.agentledger.api.alerts;

import io.agentledger.store.AlertRules;
import io.agentledger.store.AlertState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alert of a rule, in the shape of an anomaly ({@code kind} is {@code alert:<rule kind>}, the
 * expected range is up to the threshold), so findings read the same wherever they come from.
 */
public record AlertView(
    String id,
    String kind,
    String ruleId,
    Map<String, String> subject,
    String metric,
    double observed,
    Expected expected,
    String severity,
    String status,
    Instant firstSeen,
    Instant lastSeen,
    String detail) {

  /** What the rule allows: up to its threshold. */
  public record Expected(double low, double high) {}

  /** {@code GET /alerts}. */
  public record Page(List<AlertView> items) {}

  static AlertView of(AlertState s) {
    String kind =
        switch (s.metric()) {
          case AlertRules.METRIC_BURN_RATE -> AlertRules.BURN_RATE;
          case AlertRules.METRIC_UNPRICED -> AlertRules.UNPRICED_SHARE;
          default -> AlertRules.BUDGET;
        };
    return new AlertView(
        s.id(),
        "alert:" + kind,
        s.ruleId(),
        s.subject(),
        s.metric(),
        s.observed(),
        new Expected(0, s.threshold()),
        s.severity(),
        s.status(),
        s.firstSeen(),
        s.lastSeen(),
        s.summary());
  }
}
