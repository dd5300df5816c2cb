package io.agentledger.store;

import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ModelCost;
import io.agentledger.core.span.AgentSpan;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session's (or a workflow run's) report from its chains' roll-ups, so every adapter adds them up
 * the same way as a single chain's: the group's agents and models are the sums of each chain's.
 */
public final class SessionReports {

  private SessionReports() {}

  /**
   * A session's report from the spans of its chains, each rolled up as a single chain is; empty
   * when there are no chains.
   *
   * @param sessionId the session id
   * @param chains the spans of each of the session's chains
   * @return the report
   */
  public static Optional<SessionReport> fromSpans(
      String sessionId, Collection<List<AgentSpan>> chains) {
    List<ChainRollupResult> rollups = new ArrayList<>(chains.size());
    for (List<AgentSpan> spans : chains) {
      rollups.add(ChainRollup.compute(spans));
    }
    return of(sessionId, rollups);
  }

  /**
   * Empty when there are no chains.
   *
   * @param sessionId the session id
   * @param chains the roll-ups of the session's chains
   * @return the report
   */
  public static Optional<SessionReport> of(String sessionId, List<ChainRollupResult> chains) {
    if (chains.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal toolCost = BigDecimal.ZERO;
    boolean complete = true;
    Map<String, AgentCost> agents = new LinkedHashMap<>();
    Map<String, ModelCost> models = new LinkedHashMap<>();
    List<String> traceIds = new ArrayList<>();
    List<ChainRollupResult> ordered = new ArrayList<>(chains);
    ordered.sort(Comparator.comparingLong(c -> c.summary().startEpochNanos()));
    for (ChainRollupResult chain : ordered) {
      cost = cost.add(chain.summary().costUsd());
      toolCost = toolCost.add(chain.summary().toolCostUsd());
      complete &= chain.summary().costComplete();
      traceIds.add(chain.summary().traceId());
      for (AgentCost a : chain.byAgent()) {
        agents.merge(a.agent(), a, SessionReports::plus);
      }
      for (ModelCost m : chain.byModel()) {
        models.merge(m.provider() + "\u0000" + m.model(), m, SessionReports::plus);
      }
    }
    List<AgentCost> byAgent = new ArrayList<>(agents.values());
    byAgent.sort(Comparator.comparing(AgentCost::inclusiveCostUsd).reversed());
    List<ModelCost> byModel = new ArrayList<>(models.values());
    byModel.sort(Comparator.comparing(ModelCost::costUsd).reversed());
    return Optional.of(
        new SessionReport(
            sessionId, cost, complete, chains.size(), byAgent, byModel, traceIds, toolCost));
  }

  private static AgentCost plus(AgentCost a, AgentCost b) {
    return new AgentCost(
        a.agent(),
        a.exclusiveCostUsd().add(b.exclusiveCostUsd()),
        a.inclusiveCostUsd().add(b.inclusiveCostUsd()),
        a.llmCalls() + b.llmCalls(),
        a.toolCalls() + b.toolCalls(),
        a.usage().plus(b.usage()),
        a.unpricedCalls() + b.unpricedCalls(),
        a.toolCostUsd().add(b.toolCostUsd()));
  }

  private static ModelCost plus(ModelCost a, ModelCost b) {
    return new ModelCost(
        a.provider(),
        a.model(),
        a.costUsd().add(b.costUsd()),
        a.llmCalls() + b.llmCalls(),
        a.usage().plus(b.usage()),
        a.unpricedCalls() + b.unpricedCalls());
  }
}
