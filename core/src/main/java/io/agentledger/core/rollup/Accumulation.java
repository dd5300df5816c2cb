package io.agentledger.core.rollup;

import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.StatusCode;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accumulation pass: the chain's totals and its per-agent and per-model breakdowns, summed over
 * the counted spans (tool calls and errors over every span).
 */
final class Accumulation {

  static final BigDecimal ZERO = BigDecimal.ZERO.setScale(Cost.SCALE);

  private BigDecimal cost = ZERO;
  private BigDecimal toolCost = ZERO;
  private UsageTotals usage = UsageTotals.ZERO;
  private int llmCalls;
  private int toolCalls;
  private int errors;
  private int unpriced;
  private final Map<String, AgentAcc> agents = new LinkedHashMap<>();
  private final Map<String, ModelAcc> models = new LinkedHashMap<>();

  private Accumulation() {}

  static Accumulation of(ChainTree tree, Billing billing, Attribution attribution) {
    Accumulation acc = new Accumulation();
    for (AgentSpan s : tree.order()) {
      acc.add(s, billing, attribution);
    }
    return acc;
  }

  private void add(AgentSpan s, Billing billing, Attribution attribution) {
    String agent = attribution.agentOf(s);
    AgentAcc byAgent = null;
    if (s.type() == SpanType.TOOL) {
      byAgent = agents.computeIfAbsent(agent, AgentAcc::new);
      byAgent.toolCalls++;
      toolCalls++;
    }
    if (s.status().code() == StatusCode.ERROR) {
      errors++;
    }
    if (!billing.isCounted(s)) {
      return;
    }
    byAgent = byAgent != null ? byAgent : agents.computeIfAbsent(agent, AgentAcc::new);
    boolean known = s.cost().isKnown();
    BigDecimal amount = s.cost().amountOrZero();
    boolean modelCall = s.type().isModelCall();
    cost = cost.add(amount);
    usage = usage.plus(s.usage());
    llmCalls += modelCall ? 1 : 0;
    unpriced += known ? 0 : 1;
    byAgent.exclusive = byAgent.exclusive.add(amount);
    byAgent.usage = byAgent.usage.plus(s.usage());
    byAgent.llmCalls += modelCall ? 1 : 0;
    byAgent.unpriced += known ? 0 : 1;
    if (ToolPrices.isToolCost(s.cost())) {
      toolCost = toolCost.add(amount);
      byAgent.toolCost = byAgent.toolCost.add(amount);
    }
    for (String name : attribution.inclusiveAgents(s)) {
      AgentAcc up = agents.computeIfAbsent(name, AgentAcc::new);
      up.inclusive = up.inclusive.add(amount);
    }
    if (modelCall || s.usage().reported()) {
      String provider = s.semantics().provider();
      String model = s.semantics().model();
      ModelAcc m =
          models.computeIfAbsent(provider + "\u0000" + model, k -> new ModelAcc(provider, model));
      m.cost = m.cost.add(amount);
      m.calls += 1;
      m.usage = m.usage.plus(s.usage());
      m.unpriced += known ? 0 : 1;
    }
  }

  /** The counted spans' cost: known costs only (see {@link #unpriced()}). */
  BigDecimal cost() {
    return cost;
  }

  /** The part of {@link #cost()} priced by the project's tool and sandbox prices. */
  BigDecimal toolCost() {
    return toolCost;
  }

  UsageTotals usage() {
    return usage;
  }

  int llmCalls() {
    return llmCalls;
  }

  int toolCalls() {
    return toolCalls;
  }

  int errors() {
    return errors;
  }

  /** Counted spans whose cost is unknown. */
  int unpriced() {
    return unpriced;
  }

  /** Agents with any cost or call, most expensive (inclusively) first. */
  List<AgentCost> byAgent() {
    return agents.values().stream()
        .filter(
            a ->
                a.inclusive.signum() > 0
                    || a.exclusive.signum() > 0
                    || a.llmCalls > 0
                    || a.toolCalls > 0
                    || a.unpriced > 0)
        .map(AgentAcc::toCost)
        .sorted(
            Comparator.comparing(AgentCost::inclusiveCostUsd)
                .reversed()
                .thenComparing(AgentCost::agent))
        .toList();
  }

  /** Models, most expensive first. */
  List<ModelCost> byModel() {
    return models.values().stream()
        .map(ModelAcc::toCost)
        .sorted(
            Comparator.comparing(ModelCost::costUsd)
                .reversed()
                .thenComparing(ModelCost::provider)
                .thenComparing(ModelCost::model))
        .toList();
  }

  private static final class AgentAcc {
    final String agent;
    BigDecimal exclusive = ZERO;
    BigDecimal inclusive = ZERO;
    BigDecimal toolCost = ZERO;
    int llmCalls;
    int toolCalls;
    int unpriced;
    UsageTotals usage = UsageTotals.ZERO;

    AgentAcc(String agent) {
      this.agent = agent;
    }

    AgentCost toCost() {
      return new AgentCost(
          agent, exclusive, inclusive, llmCalls, toolCalls, usage, unpriced, toolCost);
    }
  }

  private static final class ModelAcc {
    final String provider;
    final String model;
    BigDecimal cost = ZERO;
    int calls;
    int unpriced;
    UsageTotals usage = UsageTotals.ZERO;

    ModelAcc(String provider, String model) {
      this.provider = provider;
      this.model = model;
    }

    ModelCost toCost() {
      return new ModelCost(provider, model, cost, calls, usage, unpriced);
    }
  }
}
