package io.agentledger.analyzer.anomaly;

import io.agentledger.store.Anomaly;

/**
 * Told when an anomaly episode changes state, <em>before</em> the new state is saved: where
 * notifications (the outbox) hook in. Called on the detection thread; an implementation returns
 * quickly. What it throws fails the cycle before anything is saved, so the next cycle reports the
 * same transition again: an implementation must be idempotent (the outbox keeps a notification id
 * once; the id is derived from the episode's data-derived times, see {@link AnomalyNotifier}).
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
   * @param anomaly the episode as it is about to be saved
   * @param transition what happened
   */
  void onTransition(Anomaly anomaly, Transition transition);
}
