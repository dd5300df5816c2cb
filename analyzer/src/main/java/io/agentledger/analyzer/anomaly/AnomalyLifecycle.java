package io.agentledger.analyzer.anomaly;

import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.FindingStore;
import io.agentledger.store.TimeRange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a cycle's observations into episodes: a new anomalous key fires a new episode, whose id is
 * derived from the project, the key and the first anomalous data time (so several analyzers
 * upserting the same finding keep one record); further observations update it; a clear observation
 * resolves it, as does no anomalous observation for {@code resolveAfter}. A key anomalous again
 * within {@code cooldown} of its episode's last sighting reopens that episode rather than firing a
 * new one: de-duplication with a cooldown.
 *
 * <p>Each transition is reported to the {@link AnomalyListener} before the episodes are saved.
 */
final class AnomalyLifecycle {

  static final int MAX_OPEN = 100_000;
  private static final int MAX_EXAMPLES = 5;

  private final FindingStore store;
  private final DetectionSettings settings;
  private final AnomalyListener listener;

  AnomalyLifecycle(FindingStore store, DetectionSettings settings, AnomalyListener listener) {
    this.store = store;
    this.settings = settings;
    this.listener = listener;
  }

  /** What a cycle changed in one project, and what is firing after it. */
  record Outcome(List<Change> changes, List<Anomaly> firing) {}

  /** One saved episode and its transition (null when only updated). */
  record Change(Anomaly anomaly, AnomalyListener.@Nullable Transition transition) {}

  Outcome apply(String project, List<Observation> observations, Instant now) {
    TimeRange ever = new TimeRange(Instant.EPOCH, now.plus(Duration.ofDays(1)));
    Map<String, Anomaly> firing = new LinkedHashMap<>();
    for (Anomaly a :
        store.anomalies(project, AnomalyQuery.all(ever, MAX_OPEN).withStatus(Anomaly.FIRING))) {
      firing.put(Observation.key(a.kind(), a.subject(), a.metric()), a);
    }
    Map<String, Anomaly> resolved = new HashMap<>();
    TimeRange recent =
        new TimeRange(now.minus(settings.cooldown()).minus(settings.window()), ever.to());
    for (Anomaly a :
        store.anomalies(project, AnomalyQuery.all(recent, MAX_OPEN).withStatus(Anomaly.RESOLVED))) {
      resolved.merge(
          Observation.key(a.kind(), a.subject(), a.metric()),
          a,
          (x, y) -> x.lastSeen().isAfter(y.lastSeen()) ? x : y);
    }

    Map<String, Change> changes = new LinkedHashMap<>();
    Set<String> seenAnomalous = new HashSet<>();
    for (Observation o : observations) {
      if (o.anomalous()) {
        seenAnomalous.add(o.key());
        anomalous(project, o, firing, resolved, changes);
      }
    }
    for (Observation o : observations) {
      if (o.anomalous()) {
        continue;
      }
      if (!o.scope()) {
        Anomaly a = firing.get(o.key());
        if (a != null && !seenAnomalous.contains(o.key())) {
          resolve(a, o.key(), firing, changes);
        }
        continue;
      }
      for (Map.Entry<String, Anomaly> e : List.copyOf(firing.entrySet())) {
        Anomaly a = e.getValue();
        if (!seenAnomalous.contains(e.getKey())
            && a.kind().equals(o.kind())
            && a.subject().entrySet().containsAll(o.subject().entrySet())) {
          resolve(a, e.getKey(), firing, changes);
        }
      }
    }
    Instant quietBefore = now.minus(settings.resolveAfter());
    for (Anomaly a : List.copyOf(firing.values())) {
      String key = Observation.key(a.kind(), a.subject(), a.metric());
      if (!seenAnomalous.contains(key) && a.lastSeen().isBefore(quietBefore)) {
        resolve(a, key, firing, changes);
      }
    }

    // Transitions are reported (published to the outbox) before the episodes are saved: a crash
    // in between leaves the old state stored, the next cycle observes the same data again and
    // reports the same transition with the same notification id, which the outbox keeps once.
    // A listener that throws fails the cycle before anything is saved, for the same reason.
    List<Change> transitions = new ArrayList<>();
    for (Change c : changes.values()) {
      AnomalyListener.Transition t = c.transition();
      if (t != null) {
        transitions.add(c);
        listener.onTransition(c.anomaly(), t);
      }
    }
    List<Anomaly> toSave = new ArrayList<>();
    changes.values().forEach(c -> toSave.add(c.anomaly()));
    store.saveAnomalies(toSave);
    return new Outcome(transitions, List.copyOf(firing.values()));
  }

  private void anomalous(
      String project,
      Observation o,
      Map<String, Anomaly> firing,
      Map<String, Anomaly> resolved,
      Map<String, Change> changes) {
    String key = o.key();
    Anomaly open = firing.get(key);
    if (open != null) {
      Anomaly updated = update(open, o, open.status());
      if (!updated.equals(open)) {
        Change before = changes.get(key);
        changes.put(key, new Change(updated, before == null ? null : before.transition()));
        firing.put(key, updated);
      }
      return;
    }
    Anomaly last = resolved.get(key);
    if (last != null && !o.lastAt().isAfter(last.lastSeen())) {
      return; // evidence already accounted for before it resolved
    }
    if (last != null && !o.firstAt().isAfter(last.lastSeen().plus(settings.cooldown()))) {
      Anomaly reopened = update(last, o, Anomaly.FIRING);
      changes.put(key, new Change(reopened, AnomalyListener.Transition.REOPENED));
      firing.put(key, reopened);
      return;
    }
    Anomaly fresh =
        new Anomaly(
            project,
            id(project, key, o.firstAt()),
            o.kind(),
            o.subject(),
            o.metric(),
            o.observed(),
            o.expected(),
            o.score(),
            o.severity(),
            Anomaly.FIRING,
            o.firstAt(),
            o.lastAt(),
            o.exampleTraceIds(),
            o.detail());
    changes.put(key, new Change(fresh, AnomalyListener.Transition.FIRING));
    firing.put(key, fresh);
  }

  /** The episode with newer evidence: the latest observation's values, the worst severity. */
  private static Anomaly update(Anomaly a, Observation o, String status) {
    boolean newer = !o.lastAt().isBefore(a.lastSeen());
    Set<String> examples = new LinkedHashSet<>(o.exampleTraceIds());
    examples.addAll(a.exampleTraceIds());
    String severity =
        Anomaly.CRITICAL.equals(a.severity()) || Anomaly.CRITICAL.equals(o.severity())
            ? Anomaly.CRITICAL
            : Anomaly.WARNING;
    return new Anomaly(
        a.project(),
        a.id(),
        a.kind(),
        a.subject(),
        a.metric(),
        newer ? o.observed() : a.observed(),
        newer ? o.expected() : a.expected(),
        newer ? o.score() : a.score(),
        severity,
        status,
        a.firstSeen().isBefore(o.firstAt()) ? a.firstSeen() : o.firstAt(),
        newer ? o.lastAt() : a.lastSeen(),
        examples.stream().limit(MAX_EXAMPLES).toList(),
        newer ? o.detail() : a.detail());
  }

  private static void resolve(
      Anomaly a, String key, Map<String, Anomaly> firing, Map<String, Change> changes) {
    Anomaly done =
        new Anomaly(
            a.project(),
            a.id(),
            a.kind(),
            a.subject(),
            a.metric(),
            a.observed(),
            a.expected(),
            a.score(),
            a.severity(),
            Anomaly.RESOLVED,
            a.firstSeen(),
            a.lastSeen(),
            a.exampleTraceIds(),
            a.detail());
    // Never fired in the same cycle: a key observed anomalous is not resolved in that cycle.
    changes.put(key, new Change(done, AnomalyListener.Transition.RESOLVED));
    firing.remove(key);
  }

  /** Deterministic: the same finding in the same data gets the same id on every instance. */
  static String id(String project, String key, Instant firstAt) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest((project + "\n" + key + "\n" + firstAt).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
