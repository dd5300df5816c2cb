package io.agentledger.api.alerts;

import io.agentledger.core.config.Settings;
import io.agentledger.store.AlertRule;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A rule as the API shows it. */
public record AlertRuleView(
    String id,
    String name,
    String kind,
    String scope,
    @Nullable String match,
    String window,
    long windowSeconds,
    double threshold,
    long minCalls,
    String severity,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt) {

  static AlertRuleView of(AlertRule r) {
    return new AlertRuleView(
        r.id(),
        r.name(),
        r.kind(),
        r.scope(),
        r.match().isEmpty() ? null : r.match(),
        Settings.format(r.window()),
        r.window().toSeconds(),
        r.threshold(),
        r.minCalls(),
        r.severity(),
        r.enabled(),
        r.createdAt(),
        r.updatedAt());
  }

  /** {@code GET /alerts/rules}. */
  public record Page(java.util.List<AlertRuleView> items) {}

  /** {@code DELETE /alerts/rules/{id}}. */
  public record Deleted(String id, boolean deleted) {}
}
