package io.agentledger.analyzer.anomaly;

import io.agentledger.store.Anomaly;

/**
 * Told when an anomaly episode changes state, after it is saved: where notifications (an outbox,
 * webhooks) hook in. Called on the detection thread; an implementation returns quickly and does not
 * throw (what it throws is logged and ignored). With several analyzer instances each may report the
 * same transition of the same episode id: a receiver de-duplicates by (id, transition, lastSeen).
 */
@FunctionalInterface
public interface AnomalyListener {

  /** What happened to the episode. */
  enum Transition {
    /** A new episode started firing. */
    FIRING,
    /** An episode resolved within the cooldown fired again (the same id). */
    REOPENED,
    /** The episode stopped. */
    RESOLVED
  }

  /** Ignores every transition. */
  AnomalyListener NONE = (anomaly, transition) -> {};

  /**
   * An episode changed state.
   *
   * @param anomaly the episode as saved
   * @param transition what happened
   */
  void onTransition(Anomaly anomaly, Transition transition);
}
