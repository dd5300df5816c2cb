package io.agentledger.bench.anomaly;

import io.agentledger.analyzer.anomaly.RunBehaviours;
import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.Usage;
import io.agentledger.store.RunSummary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated workload of agent runs: {@code series} agents, each with its own volume (1 to 30 runs
 * an hour, log-uniform) following a daily curve (quiet at night, busy mid-day, lighter at weekends)
 * with Poisson arrivals, its own typical cost ($0.02 to $1, log-uniform) with log-normal noise (σ
 * 0.3), tokens and duration that follow the cost with noise of their own, a 2 % error rate, and one
 * of three usual paths. Deterministic for a seed.
 *
 * <p>Injected anomalies are the ground truth: a cost factor on one agent, tool loops and ping-pong
 * hand-offs, each built as spans and passed through {@link RunBehaviours#detect} as settlement
 * does.
 */
final class RunWorkload {

  static final String PROJECT = "bench";
  private static final double COST_SIGMA = 0.3;
  private static final List<List<String>> PATHS =
      List.of(
          List.of("llm:gpt-4o", "tool:search", "llm:gpt-4o"),
          List.of("llm:gpt-4o", "tool:search ×2", "llm:gpt-4o", "tool:fetch", "llm:gpt-4o"),
          List.of("llm:gpt-4o", "tool:calculator", "llm:gpt-4o"));

  /** One agent's habits. */
  record Agent(String name, double runsPerHour, double medianCost, int pathBias) {}

  private final List<Agent> agents = new ArrayList<>();
  private final Random random;
  private long sequence;

  RunWorkload(int series, long seed) {
    this(series, seed, 1, 30);
  }

  /** Agents with {@code minRate} to {@code maxRate} runs an hour at the daily mean. */
  RunWorkload(int series, long seed, double minRate, double maxRate) {
    random = new Random(seed);
    for (int i = 0; i < series; i++) {
      agents.add(
          new Agent(
              String.format("agent-%05d", i),
              Math.exp(Math.log(minRate) + random.nextDouble() * Math.log(maxRate / minRate)),
              Math.exp(Math.log(0.02) + random.nextDouble() * Math.log(50)),
              random.nextInt(PATHS.size())));
    }
  }

  List<Agent> agents() {
    return agents;
  }

  /** The busiest agent: the one whose spike the benchmark injects. */
  Agent busiest() {
    return agents.stream()
        .max((a, b) -> Double.compare(a.runsPerHour(), b.runsPerHour()))
        .orElseThrow();
  }

  /** Daily curve: 0.3 at 3am, 1.7 at 3pm, times 0.7 at weekends. */
  static double season(Instant t) {
    var at = t.atOffset(ZoneOffset.UTC);
    double hour = at.getHour() + at.getMinute() / 60.0;
    double daily = 1 + 0.7 * Math.sin(2 * Math.PI * (hour - 9) / 24);
    int dow = at.getDayOfWeek().getValue();
    return daily * (dow >= 6 ? 0.7 : 1.0);
  }

  /**
   * The runs that start in {@code [from, to)}, with the agents' cost multiplied by {@code
   * costFactor} (name → factor) and behaviours injected by {@code inject}.
   */
  List<RunSummary> runs(
      Instant from, Instant to, Map<String, Double> costFactor, Injection inject) {
    List<RunSummary> out = new ArrayList<>();
    double hours = Duration.between(from, to).toMillis() / 3_600_000.0;
    for (Agent a : agents) {
      double expected = a.runsPerHour() * season(from) * hours;
      int count = poisson(expected);
      for (int k = 0; k < count; k++) {
        Instant start =
            from.plusMillis((long) (random.nextDouble() * Duration.between(from, to).toMillis()));
        out.add(run(a, start, costFactor.getOrDefault(a.name(), 1.0), inject.behaviour(a)));
      }
    }
    return out;
  }

  /** One run of every agent, starting in {@code [from, from + spread)}: every series touched. */
  List<RunSummary> onePerAgent(Instant from, Duration spread) {
    List<RunSummary> out = new ArrayList<>();
    for (Agent a : agents) {
      Instant start = from.plusMillis((long) (random.nextDouble() * spread.toMillis()));
      out.add(run(a, start, 1.0, Behaviour.NONE));
    }
    return out;
  }

  /** Which behaviour, if any, an agent's runs show. */
  interface Injection {
    Injection NONE = a -> Behaviour.NONE;

    Behaviour behaviour(Agent a);
  }

  enum Behaviour {
    NONE,
    TOOL_LOOP,
    PING_PONG
  }

  private RunSummary run(Agent a, Instant start, double factor, Behaviour behaviour) {
    double cost = a.medianCost() * factor * Math.exp(COST_SIGMA * random.nextGaussian());
    long input = Math.max(1, Math.round(cost / 2.5e-6 * Math.exp(0.1 * random.nextGaussian())));
    long output = Math.max(1, Math.round(input * 0.05 * Math.exp(0.2 * random.nextGaussian())));
    long duration = Math.round(4000 * Math.exp(0.3 * random.nextGaussian()));
    List<String> path = PATHS.get(random.nextDouble() < 0.6 ? a.pathBias() : random.nextInt(3));
    int tools = (int) path.stream().filter(s -> s.startsWith("tool:")).count();
    String trace = String.format("%032x", ++sequence);
    String spanId = String.format("%016x", sequence);
    Map<String, String> behaviours = Map.of();
    if (behaviour != Behaviour.NONE) {
      behaviours = RunBehaviours.detect(spans(a, trace, spanId, start, behaviour), spanId);
    }
    return new RunSummary(
        PROJECT,
        trace,
        spanId,
        a.name(),
        "1.0",
        "svc",
        "user-" + random.nextInt(50),
        "",
        start,
        duration,
        BigDecimal.valueOf(cost).setScale(9, RoundingMode.HALF_UP),
        true,
        input,
        output,
        2,
        tools,
        random.nextDouble() < 0.02 ? 1 : 0,
        0,
        List.of("gpt-4o"),
        path,
        behaviours);
  }

  /** The spans of a run showing a behaviour, as a chain would carry them. */
  static List<AgentSpan> spans(
      Agent a, String trace, String runSpan, Instant start, Behaviour behaviour) {
    long t0 = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    List<AgentSpan> out = new ArrayList<>();
    out.add(span(trace, runSpan, "", t0, SpanType.AGENT, a.name(), "", Map.of(), List.of()));
    if (behaviour == Behaviour.TOOL_LOOP) {
      for (int i = 0; i < 5; i++) {
        AgentSpan llm =
            span(
                trace,
                runSpan + "l" + i,
                runSpan,
                t0 + i * 20_000_000L + 1,
                SpanType.LLM,
                "",
                "",
                Map.of(),
                List.of());
        out.add(
            llm.toBuilder()
                .usage(Usage.of(3000, 100))
                .cost(
                    new Cost(
                        BigDecimal.valueOf(a.medianCost() / 5),
                        CostSource.COMPUTED,
                        "openai/gpt-4o",
                        "bench",
                        ""))
                .build());
        out.add(
            span(
                trace,
                runSpan + "t" + i,
                runSpan,
                t0 + i * 20_000_000L + 10_000_000L,
                SpanType.TOOL,
                "",
                "search",
                Map.of("gen_ai.tool.call.arguments", "{\"query\":\"quarterly revenue\"}"),
                List.of()));
      }
    } else {
      // A hand-off chain: A → B → A → B → A, each run a child of the previous.
      String parent = runSpan;
      String[] turn = {"reviewer", a.name()};
      for (int i = 0; i < 4; i++) {
        String id = runSpan + "h" + i;
        out.add(
            span(
                trace,
                id,
                parent,
                t0 + (i + 1) * 10_000_000L,
                SpanType.AGENT,
                turn[i % 2],
                "",
                Map.of(),
                List.of()));
        parent = id;
      }
    }
    return out;
  }

  private static AgentSpan span(
      String trace,
      String id,
      String parent,
      long start,
      SpanType type,
      String agent,
      String tool,
      Map<String, String> attributes,
      List<SpanEvent> events) {
    return AgentSpan.builder()
        .project(PROJECT)
        .traceId(trace)
        .spanId(id)
        .parentSpanId(parent)
        .startEpochNanos(start)
        .endEpochNanos(start + 5_000_000L)
        .name(type == SpanType.TOOL ? "execute_tool " + tool : agent)
        .semantics(
            new AgentSemantics(
                type, "", agent, "", "", "", "", "openai", "gpt-4o", "gpt-4o", tool, "", List.of()))
        .attributes(attributes)
        .events(events)
        .build();
  }

  private int poisson(double mean) {
    if (mean > 50) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
