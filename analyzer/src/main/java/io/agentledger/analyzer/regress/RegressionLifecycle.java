package io.agentledger.analyzer.regress;

import io.agentledger.analyzer.notify.Notifications;
import io.agentledger.store.Notification;
import io.agentledger.store.Regression;
import io.agentledger.store.RegressionStore;
import io.agentledger.store.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns what a regression cycle found into episodes, as anomalies have: a regression found and not
 * firing starts firing (a new episode, {@code detectedAt} = now); found again, it stays firing with
 * a new {@code lastSeen}; it resolves once no cycle has found it for {@code resolveAfter} (a change
 * point near the significance level does not flap), or at once when it is superseded.
 *
 * <p>Superseded: a regression belongs to the agent's current version. Once a newer version of the
 * agent has enough runs to be compared, the regressions whose {@code after} side is an older
 * version (the change from 1.0 to 1.1, a change point within 1.1) describe a deployment that is no
 * longer the latest: they resolve, and one found only now for an older version is not raised at
 * all.
 *
 * <p>Each transition is published to the notification outbox <em>before</em> the regression's new
 * state is saved, with an id derived from what is stored (the previous episode's {@code lastSeen}
 * for a firing, the episode's {@code detectedAt} for a resolution): a crash in between publishes
 * the same id again at the next cycle, which the outbox keeps once.
 */
final class RegressionLifecycle {

  static final String SOURCE = "regression";

  private final RegressionStore store;
  private final Notifications notifications;
  private final Duration resolveAfter;

  RegressionLifecycle(RegressionStore store, Notifications notifications, Duration resolveAfter) {
    this.store = store;
    this.notifications = notifications;
    this.resolveAfter = resolveAfter;
  }

  /**
   * What a cycle changed.
   *
   * @param saved every regression saved (new, seen again, resolved)
   * @param published the transitions published
   */
  record Outcome(List<Regression> saved, List<Notification> published) {}

  /**
   * @param found what the detector reported this cycle
   * @param latestVersions per agent, its newest version with enough runs to be compared
   */
  Outcome apply(
      String project, List<Regression> found, Map<String, String> latestVersions, Instant now) {
    Map<String, Regression> stored = new LinkedHashMap<>();
    for (Regression r :
        store.regressions(project, new TimeRange(Instant.EPOCH, now.plusSeconds(1)), "")) {
      stored.put(r.id(), r);
    }
    List<Regression> toSave = new ArrayList<>();
    List<Notification> toPublish = new ArrayList<>();
    Set<String> current =
        found.stream()
            .filter(r -> !superseded(r, latestVersions))
            .map(Regression::id)
            .collect(Collectors.toSet());
    for (Regression r : found) {
      if (!current.contains(r.id())) {
        continue;
      }
      Regression before = stored.get(r.id());
      if (before != null && before.firing()) {
        toSave.add(r.withEpisode(Regression.FIRING, before.detectedAt(), now));
        continue;
      }
      Regression fresh = r.withEpisode(Regression.FIRING, now, now);
      Instant previous = before == null ? Instant.EPOCH : before.lastSeen();
      toPublish.add(
          notification(
              fresh, Notification.idOf(fresh.id(), Regression.FIRING, previous), now, summary(r)));
      toSave.add(fresh);
    }
    Instant quietBefore = now.minus(resolveAfter);
    for (Regression s : stored.values()) {
      if (!s.firing() || current.contains(s.id())) {
        continue;
      }
      String why;
      if (superseded(s, latestVersions)) {
        why = "superseded by version " + latestVersions.get(s.agent());
      } else if (s.lastSeen().isBefore(quietBefore)) {
        why = "no longer found";
      } else {
        continue; // not found this cycle: give it resolveAfter before it resolves
      }
      Regression done = s.withEpisode(Regression.RESOLVED, s.detectedAt(), s.lastSeen());
      toPublish.add(
          notification(
              done,
              Notification.idOf(s.id(), Regression.RESOLVED, s.detectedAt()),
              now,
              summary(s) + " — resolved: " + why));
      toSave.add(done);
    }
    notifications.publish(toPublish);
    store.saveRegressions(toSave);
    return new Outcome(List.copyOf(toSave), List.copyOf(toPublish));
  }

  private static boolean superseded(Regression r, Map<String, String> latestVersions) {
    String latest = latestVersions.get(r.agent());
    return latest != null && !latest.equals(r.after().version());
  }

  private static Notification notification(Regression r, String id, Instant at, String summary) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("agent", r.agent());
    labels.put("metric", r.metric());
    labels.put("before_version", r.before().version());
    labels.put("after_version", r.after().version());
    Map<String, String> values = new LinkedHashMap<>();
    values.put("direction", r.direction());
    values.put("effect", Double.toString(r.effect()));
    values.put("effect_low", Double.toString(r.effectLow()));
    values.put("effect_high", Double.toString(r.effectHigh()));
    values.put("p_value", Double.toString(r.pValue()));
    values.put("before_median", Double.toString(r.before().median()));
    values.put("after_median", Double.toString(r.after().median()));
    if (!r.exampleTraceIds().isEmpty()) {
      values.put("example_trace_ids", String.join(",", r.exampleTraceIds()));
    }
    return new Notification(
        r.project(),
        id,
        r.id(),
        SOURCE,
        r.kind(),
        r.status(),
        // Worse is worth a look; better is news. Fixed per regression: labels never change.
        Regression.WORSE.equals(r.direction()) ? "warning" : "info",
        summary,
        labels,
        values,
        r.detectedAt(),
        r.firing() ? r.detectedAt() : at);
  }

  static String summary(Regression r) {
    String change =
        String.format(Locale.ROOT, "%+.0f%%", r.effect() * 100)
            + (r.kind().equals(Regression.VERSION)
                ? " from version " + r.before().version() + " to " + r.after().version()
                : " within version " + r.after().version() + " since " + r.after().from());
    return r.agent() + " " + r.metric() + " " + change + " (" + r.direction() + ")";
  }
}
