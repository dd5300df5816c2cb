package io.agentledger.analyzer.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanType;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Behaviours of one run worth reporting, found once when its chain settles and kept in {@code
 * RunSummary.behaviours} for the detection cycle:
 *
 * <ul>
 *   <li>{@value #TOOL_LOOP}: the same tool called with the same canonical arguments (JSON with keys
 *       sorted) at least {@value #LOOP_MIN_CALLS} times; the repeats after the first are wasted,
 *       and so are the model calls that chose them (OpenLIT's loop flag, nanobot's and OpenCode's
 *       threshold of 3). Only calls whose arguments were recorded count: without them repeated
 *       searches cannot be told from a loop.
 *   <li>{@value #PING_PONG}: control alternating between two agents, A→B→A→B (at least {@value
 *       #PING_PONG_MIN_AGENTS} alternating agents, i.e. three hand-offs), from the agents beneath
 *       the run in start order and its {@code agentledger.handoff} events (OpenClaw's pingPong
 *       detector). Reported by the outermost run of the alternation only.
 *   <li>{@value #RUNAWAY_CONTEXT}: input tokens growing super-linearly over the run's model calls:
 *       at least {@value #RUNAWAY_MIN_CALLS} calls whose context grows per call, over the later
 *       half, at least {@value #RUNAWAY_MIN_ACCELERATION} times as fast as over the earlier half (a
 *       conversation that appends about the same each turn grows linearly, about 1), and a last
 *       call of at least {@value #RUNAWAY_MIN_TOKENS} input tokens.
 * </ul>
 *
 * <p>Each behaviour is a key naming its subject ({@code tool_loop} → the tool) plus {@code
 * <key>.<detail>} keys; a run without any gives an empty map. Pure: the same spans give the same
 * map.
 */
public final class RunBehaviours {

  /** Key of a tool loop; its value is the tool. */
  public static final String TOOL_LOOP = "tool_loop";

  /** Key of a ping-pong; its value is the two agents, {@code A↔B}. */
  public static final String PING_PONG = "ping_pong";

  /** Key of runaway context; its value is the model of the last call. */
  public static final String RUNAWAY_CONTEXT = "runaway_context";

  static final int LOOP_MIN_CALLS = 3;
  static final int PING_PONG_MIN_AGENTS = 4;
  static final int RUNAWAY_MIN_CALLS = 4;
  static final double RUNAWAY_MIN_ACCELERATION = 2.0;
  static final long RUNAWAY_MIN_TOKENS = 8_000;

  /** Where tools' arguments are recorded, by convention. */
  private static final List<String> ARGUMENT_KEYS =
      List.of(
          "gen_ai.tool.call.arguments",
          "tool.arguments",
          "ai.toolCall.args",
          "traceloop.entity.input",
          "input.value");

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static final Comparator<AgentSpan> BY_START =
      Comparator.comparingLong(AgentSpan::startEpochNanos).thenComparing(AgentSpan::spanId);

  private RunBehaviours() {}

  /**
   * The behaviours of one run.
   *
   * @param chainSpans every span of the run's chain (a settled chain's spans)
   * @param runSpanId the span of the run: its agent span, or the chain's root
   * @return behaviour keys and details; empty when there are none or the span is not in the chain
   */
  public static Map<String, String> detect(List<AgentSpan> chainSpans, String runSpanId) {
    return of(chainSpans).detect(runSpanId);
  }

  /**
   * The chain's spans indexed once, for the behaviours of each of its runs.
   *
   * @param chainSpans every span of the chain
   * @return the index
   */
  public static Chain of(List<AgentSpan> chainSpans) {
    return new Chain(chainSpans);
  }

  /** A chain's spans by id and by parent. */
  public static final class Chain {
    private final Map<String, AgentSpan> byId = new HashMap<>();
    private final Map<String, List<AgentSpan>> children = new HashMap<>();

    private Chain(List<AgentSpan> chainSpans) {
      for (AgentSpan s : chainSpans) {
        byId.put(s.spanId(), s);
        if (!s.parentSpanId().isEmpty()) {
          children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
        }
      }
    }

    /**
     * The behaviours of one run of the chain.
     *
     * @param runSpanId the span of the run
     * @return behaviour keys and details; empty when there are none or the span is unknown
     */
    public Map<String, String> detect(String runSpanId) {
      AgentSpan run = byId.get(runSpanId);
      if (run == null) {
        return Map.of();
      }
      List<AgentSpan> steps = steps(run, children);
      Map<String, String> out = new LinkedHashMap<>();
      toolLoop(steps, out);
      pingPong(run, byId, children, out);
      runawayContext(steps, out);
      return out;
    }
  }

  /**
   * The run's spans beneath it in start order; a nested agent is one step, its own not included.
   */
  static List<AgentSpan> steps(AgentSpan run, Map<String, List<AgentSpan>> children) {
    List<AgentSpan> out = new ArrayList<>();
    List<AgentSpan> stack = new ArrayList<>(children.getOrDefault(run.spanId(), List.of()));
    while (!stack.isEmpty()) {
      AgentSpan s = stack.remove(stack.size() - 1);
      out.add(s);
      if (s.type() != SpanType.AGENT) {
        stack.addAll(children.getOrDefault(s.spanId(), List.of()));
      }
    }
    out.sort(BY_START);
    return out;
  }

  // --- tool loops ---------------------------------------------------------------------------

  private static void toolLoop(List<AgentSpan> steps, Map<String, String> out) {
    Map<String, List<Integer>> callsByFingerprint = new LinkedHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      AgentSpan s = steps.get(i);
      if (s.type() != SpanType.TOOL) {
        continue;
      }
      String args = canonicalArguments(s);
      if (args == null) {
        continue;
      }
      callsByFingerprint.computeIfAbsent(tool(s) + "\u0000" + args, k -> new ArrayList<>()).add(i);
    }
    String worstTool = null;
    int worstCalls = 0;
    long worstTokens = 0;
    BigDecimal worstCost = BigDecimal.ZERO;
    int loops = 0;
    for (Map.Entry<String, List<Integer>> e : callsByFingerprint.entrySet()) {
      List<Integer> calls = e.getValue();
      if (calls.size() < LOOP_MIN_CALLS) {
        continue;
      }
      loops++;
      long tokens = 0;
      BigDecimal cost = BigDecimal.ZERO;
      for (int k = 1; k < calls.size(); k++) { // the first call was not wasted
        int at = calls.get(k);
        cost = cost.add(ownCost(steps.get(at)));
        AgentSpan chooser = precedingModelCall(steps, at, calls.get(k - 1));
        if (chooser != null) {
          tokens += chooser.usage().inputTokens() + chooser.usage().outputTokens();
          cost = cost.add(ownCost(chooser));
        }
      }
      if (worstTool == null || cost.compareTo(worstCost) > 0) {
        worstTool = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
        worstCalls = calls.size();
        worstTokens = tokens;
        worstCost = cost;
      }
    }
    if (worstTool != null) {
      out.put(TOOL_LOOP, worstTool);
      out.put(TOOL_LOOP + ".calls", Integer.toString(worstCalls));
      out.put(TOOL_LOOP + ".wasted_tokens", Long.toString(worstTokens));
      out.put(TOOL_LOOP + ".wasted_cost_usd", worstCost.stripTrailingZeros().toPlainString());
      out.put(TOOL_LOOP + ".loops", Integer.toString(loops));
    }
  }

  /** The last model call between the previous repeat and this one: the call that chose it. */
  private static @Nullable AgentSpan precedingModelCall(
      List<AgentSpan> steps, int at, int previous) {
    for (int i = at - 1; i > previous; i--) {
      if (steps.get(i).type().isModelCall()) {
        return steps.get(i);
      }
    }
    return null;
  }

  private static BigDecimal ownCost(AgentSpan s) {
    BigDecimal usd = s.cost().amountUsd();
    return usd == null ? BigDecimal.ZERO : usd;
  }

  private static String tool(AgentSpan s) {
    String name = s.semantics().toolName();
    return name.isEmpty() ? s.name() : name;
  }

  /** The arguments as canonical JSON (keys sorted, no spaces), the raw text if not JSON. */
  static @Nullable String canonicalArguments(AgentSpan s) {
    for (String key : ARGUMENT_KEYS) {
      String raw = s.attributes().get(key);
      if (raw != null && !raw.isBlank()) {
        return canonicalJson(raw.strip());
      }
    }
    return null;
  }

  static String canonicalJson(String raw) {
    char c = raw.charAt(0);
    if (c != '{' && c != '[') {
      return raw;
    }
    try {
      JsonNode tree = JSON.readTree(raw);
      Object plain = JSON.treeToValue(tree, Object.class);
      return JSON.writeValueAsString(sortKeys(plain));
    } catch (IOException e) {
      return raw;
    }
  }

  private static Object sortKeys(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(String.valueOf(k), v == null ? "" : sortKeys(v)));
      return sorted;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(v == null ? "" : sortKeys(v)));
      return out;
    }
    return value;
  }

  // --- ping-pong hand-offs ------------------------------------------------------------------

  private static void pingPong(
      AgentSpan run,
      Map<String, AgentSpan> byId,
      Map<String, List<AgentSpan>> children,
      Map<String, String> out) {
    List<String> agents = agentSequence(run, children);
    int[] best = longestAlternation(agents);
    int length = best[1];
    if (length < PING_PONG_MIN_AGENTS) {
      return;
    }
    String a = agents.get(best[0]);
    String b = agents.get(best[0] + 1);
    // The run of the outer agent reports it; a nested run inside the same alternation does not.
    AgentSpan outer = nearestAgentAncestor(run, byId);
    if (outer != null && best[0] == 0) {
      String outerAgent = agentName(outer);
      if (outerAgent.equals(a) || outerAgent.equals(b)) {
        List<String> fromOuter = agentSequence(outer, children);
        if (longestAlternation(fromOuter)[1] > length) {
          return;
        }
      }
    }
    out.put(PING_PONG, a + "↔" + b);
    out.put(PING_PONG + ".handoffs", Integer.toString(length - 1));
  }

  /**
   * The agents in control, in order, consecutive repeats merged: the run's own agent, then every
   * agent span beneath it and every hand-off event target, by time.
   */
  static List<String> agentSequence(AgentSpan run, Map<String, List<AgentSpan>> children) {
    List<Turn> turns = new ArrayList<>();
    turns.add(new Turn(run.startEpochNanos(), agentName(run)));
    List<AgentSpan> stack = new ArrayList<>(children.getOrDefault(run.spanId(), List.of()));
    handoffs(run, turns);
    while (!stack.isEmpty()) {
      AgentSpan s = stack.remove(stack.size() - 1);
      if (s.type() == SpanType.AGENT) {
        turns.add(new Turn(s.startEpochNanos(), agentName(s)));
      }
      handoffs(s, turns);
      stack.addAll(children.getOrDefault(s.spanId(), List.of()));
    }
    turns.sort(Comparator.comparingLong(Turn::at));
    List<String> out = new ArrayList<>();
    for (Turn t : turns) {
      if (!t.agent().isEmpty() && (out.isEmpty() || !out.get(out.size() - 1).equals(t.agent()))) {
        out.add(t.agent());
      }
    }
    return out;
  }

  private record Turn(long at, String agent) {}

  private static void handoffs(AgentSpan s, List<Turn> turns) {
    for (SpanEvent e : s.events()) {
      String to = e.attributes().get("agentledger.handoff.to");
      if ("agentledger.handoff".equals(e.name()) && to != null && !to.isEmpty()) {
        turns.add(new Turn(e.epochNanos(), to));
      }
    }
  }

  /** Start index and length of the longest stretch alternating between two agents. */
  static int[] longestAlternation(List<String> agents) {
    int bestStart = 0;
    int bestLength = Math.min(agents.size(), 1);
    int start = 0;
    for (int i = 2; i <= agents.size(); i++) {
      boolean alternates =
          i < agents.size()
              && agents.get(i).equals(agents.get(i - 2))
              && !agents.get(i).equals(agents.get(i - 1));
      if (!alternates) {
        int length = i - start;
        if (length > bestLength && length >= 2) {
          bestStart = start;
          bestLength = length;
        }
        start = i - 1;
      }
    }
    return new int[] {bestStart, bestLength};
  }

  private static @Nullable AgentSpan nearestAgentAncestor(
      AgentSpan s, Map<String, AgentSpan> byId) {
    AgentSpan at = byId.get(s.parentSpanId());
    int guard = 0;
    while (at != null && guard++ < byId.size()) {
      if (at.type() == SpanType.AGENT) {
        return at;
      }
      at = byId.get(at.parentSpanId());
    }
    return null;
  }

  private static String agentName(AgentSpan s) {
    String name = s.semantics().agentName();
    return name.isEmpty() && s.type() == SpanType.AGENT ? s.name() : name;
  }

  // --- runaway context ----------------------------------------------------------------------

  private static void runawayContext(List<AgentSpan> steps, Map<String, String> out) {
    List<AgentSpan> calls = new ArrayList<>();
    for (AgentSpan s : steps) {
      if (s.type() == SpanType.LLM && s.usage().inputTokens() > 0) {
        calls.add(s);
      }
    }
    if (calls.size() < RUNAWAY_MIN_CALLS) {
      return;
    }
    long[] tokens = calls.stream().mapToLong(c -> c.usage().inputTokens()).toArray();
    long last = tokens[tokens.length - 1];
    double acceleration = acceleration(tokens);
    if (last < RUNAWAY_MIN_TOKENS || acceleration < RUNAWAY_MIN_ACCELERATION) {
      return;
    }
    out.put(RUNAWAY_CONTEXT, calls.get(calls.size() - 1).semantics().model());
    out.put(RUNAWAY_CONTEXT + ".calls", Integer.toString(calls.size()));
    out.put(RUNAWAY_CONTEXT + ".first_input_tokens", Long.toString(tokens[0]));
    out.put(RUNAWAY_CONTEXT + ".last_input_tokens", Long.toString(last));
    out.put(RUNAWAY_CONTEXT + ".acceleration", String.format(Locale.ROOT, "%.2f", acceleration));
  }

  /**
   * How much faster the context grows late in the run than early: the mean growth per call over the
   * later half of the calls divided by that over the earlier half. A conversation that appends
   * about the same each turn grows linearly (about 1); quadratic growth gives about 3 over many
   * calls. Zero when the early growth is not positive.
   */
  static double acceleration(long[] tokens) {
    int m = tokens.length - 1;
    int half = m / 2;
    if (half < 1) {
      return 0;
    }
    double early = (double) (tokens[half] - tokens[0]) / half;
    double late = (double) (tokens[m] - tokens[m - half]) / half;
    return early <= 0 ? 0 : late / early;
  }
}
