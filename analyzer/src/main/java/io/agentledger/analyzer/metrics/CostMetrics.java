package io.agentledger.analyzer.metrics;

import io.agentledger.analyzer.settle.ChainDerivation;
import io.agentledger.analyzer.settle.SettledChain;
import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.span.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts what settled chains spent, for Prometheus: {@code agentledger_cost_usd_total}, {@code
 * agentledger_tokens_total} (label {@code type}), {@code agentledger_llm_calls_total} and {@code
 * agentledger_llm_unpriced_calls_total}, each by {@code project}, {@code agent}, {@code provider}
 * and {@code model} (README, "Metrics").
 *
 * <p>Where this counts, and why there: at settlement, from the chain's roll-up. The roll-up is the
 * one place the cost rules are applied (a roll-up span's usage is not counted beside its
 * children's; a span is attributed to its nearest agent), and the store it reads from keeps each
 * span once, so a replayed span never reaches it twice. What remains is re-settlement: a late span
 * makes its chain settle again, and counting the whole chain again would double it. So each chain's
 * counted totals per label set are remembered, and a re-settlement adds only the increase (counters
 * never go down: a correction that lowers a chain's totals is not subtracted). The memory is
 * bounded to the {@value #REMEMBERED_CHAINS} chains settled last; a chain re-settled after that
 * many others would be counted again, which the idle time before settlement (seconds to minutes)
 * makes rare. Counting at ingest instead would see replays as new spans and could not attribute a
 * span to its agent or know it is a roll-up before its chain is complete.
 */
public final class CostMetrics implements ChainDerivation {

  /** How many chains' counted totals are remembered (for re-settlement). */
  static final int REMEMBERED_CHAINS = 100_000;

  /** Most distinct values per label before further ones become {@code other}. */
  public static final Setting<Integer> MAX_LABEL_VALUES =
      Settings.integer(
          "AGENTLEDGER_METRICS_MAX_LABEL_VALUES",
          100,
          1,
          100_000,
          "distinct values per label (project, agent, provider, model) of the cost metrics;"
              + " later values are counted as 'other'");

  private static final String[] TOKEN_TYPES = {
    "input", "output", "cache_read", "cache_write", "reasoning"
  };

  private final MeterRegistry registry;
  private final BoundedLabels projects;
  private final BoundedLabels agents;
  private final BoundedLabels providers;
  private final BoundedLabels models;
  private final Map<String, Map<Labels, Totals>> counted = new HashMap<>();
  private final Deque<String> order = new ArrayDeque<>();
  private final int remembered;

  /**
   * @param maxLabelValues distinct values kept per label; later ones are {@code other}
   */
  public CostMetrics(MeterRegistry registry, int maxLabelValues) {
    this(registry, maxLabelValues, REMEMBERED_CHAINS);
  }

  CostMetrics(MeterRegistry registry, int maxLabelValues, int remembered) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.projects = new BoundedLabels(maxLabelValues);
    this.agents = new BoundedLabels(maxLabelValues);
    this.providers = new BoundedLabels(maxLabelValues);
    this.models = new BoundedLabels(maxLabelValues);
    this.remembered = remembered;
  }

  @Override
  public String name() {
    return "cost-metrics";
  }

  @Override
  public synchronized void derive(String project, List<SettledChain> chains) {
    for (SettledChain chain : chains) {
      Map<Labels, Totals> now = totals(project, chain);
      String key = project + '\u0000' + chain.traceId();
      Map<Labels, Totals> before = counted.getOrDefault(key, Map.of());
      now.forEach((labels, t) -> add(labels, t.minus(before.getOrDefault(labels, Totals.ZERO))));
      if (counted.put(key, merge(before, now)) == null) {
        order.addLast(key);
        if (order.size() > remembered) {
          counted.remove(order.removeFirst());
        }
      }
    }
  }

  /** What was counted stays remembered even when a re-settlement shows less of it. */
  private static Map<Labels, Totals> merge(Map<Labels, Totals> before, Map<Labels, Totals> now) {
    Map<Labels, Totals> out = new HashMap<>(before);
    now.forEach((l, t) -> out.merge(l, t, Totals::max));
    return out;
  }

  private Map<Labels, Totals> totals(String project, SettledChain chain) {
    Map<Labels, Totals> out = new LinkedHashMap<>();
    Deque<TreeNode> stack = new ArrayDeque<>(chain.rollup().roots());
    while (!stack.isEmpty()) {
      TreeNode node = stack.pop();
      stack.addAll(node.children());
      if (!node.counted()) {
        continue;
      }
      Labels labels =
          new Labels(
              projects.of(project),
              agents.of(node.agent()),
              providers.of(node.span().semantics().provider()),
              models.of(node.span().semantics().model()));
      Usage u = node.span().usage();
      BigDecimal cost = node.costUsd();
      Totals t =
          new Totals(
              cost == null ? 0 : cost.doubleValue(),
              new long[] {
                u.inputTokens(),
                u.outputTokens(),
                u.cacheReadTokens(),
                u.cacheWriteTokens(),
                u.reasoningTokens()
              },
              1,
              cost == null ? 1 : 0);
      out.merge(labels, t, Totals::plus);
    }
    return out;
  }

  private void add(Labels l, Totals d) {
    if (d.costUsd() > 0) {
      counter("agentledger.cost.usd", "Cost of billable model calls, USD", l)
          .increment(d.costUsd());
    }
    for (int i = 0; i < TOKEN_TYPES.length; i++) {
      if (d.tokens()[i] > 0) {
        Counter.builder("agentledger.tokens")
            .description("Tokens of billable model calls, by type")
            .tags(l.tags())
            .tag("type", TOKEN_TYPES[i])
            .register(registry)
            .increment(d.tokens()[i]);
      }
    }
    if (d.calls() > 0) {
      counter("agentledger.llm.calls", "Billable model calls", l).increment(d.calls());
    }
    if (d.unpriced() > 0) {
      counter("agentledger.llm.unpriced.calls", "Billable model calls without a known cost", l)
          .increment(d.unpriced());
    }
  }

  private Counter counter(String name, String description, Labels l) {
    return Counter.builder(name).description(description).tags(l.tags()).register(registry);
  }

  private record Labels(String project, String agent, String provider, String model) {
    String[] tags() {
      return new String[] {
        "project", project, "agent", agent, "provider", provider, "model", model
      };
    }
  }

  private record Totals(double costUsd, long[] tokens, long calls, long unpriced) {
    static final Totals ZERO = new Totals(0, new long[TOKEN_TYPES.length], 0, 0);

    Totals plus(Totals o) {
      long[] t = new long[tokens.length];
      for (int i = 0; i < t.length; i++) {
        t[i] = tokens[i] + o.tokens[i];
      }
      return new Totals(costUsd + o.costUsd, t, calls + o.calls, unpriced + o.unpriced);
    }

    /** The increase over {@code o}, field by field; never negative. */
    Totals minus(Totals o) {
      long[] t = new long[tokens.length];
      for (int i = 0; i < t.length; i++) {
        t[i] = Math.max(0, tokens[i] - o.tokens[i]);
      }
      return new Totals(
          Math.max(0, costUsd - o.costUsd),
          t,
          Math.max(0, calls - o.calls),
          Math.max(0, unpriced - o.unpriced));
    }

    Totals max(Totals o) {
      long[] t = new long[tokens.length];
      for (int i = 0; i < t.length; i++) {
        t[i] = Math.max(tokens[i], o.tokens[i]);
      }
      return new Totals(
          Math.max(costUsd, o.costUsd),
          t,
          Math.max(calls, o.calls),
          Math.max(unpriced, o.unpriced));
    }
  }
}
