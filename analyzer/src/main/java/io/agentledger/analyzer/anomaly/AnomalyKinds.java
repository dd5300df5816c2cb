package io.agentledger.analyzer.anomaly;

import java.util.List;

/** The closed set of anomaly kinds (metric labels come from it only). */
final class AnomalyKinds {

  static final List<String> ALL =
      List.of(
          RunOutlierDetector.KIND,
          RunOutlierDetector.STEPS_KIND,
          RateDetector.KIND,
          BehaviourDetector.TOOL_LOOP,
          BehaviourDetector.PING_PONG,
          BehaviourDetector.RUNAWAY_CONTEXT,
          BehaviourDetector.NEW_TRANSITION);

  private AnomalyKinds() {}
}
