package io.agentledger.bench.workload;

import java.util.List;

/**
 * The shape of generated agent chains.
 *
 * <p>A chain is a root agent that runs {@code toolLoops} rounds of (model call, tool call) and then
 * hands off to {@code fanOut} sub-agents, down to {@code depth} levels of agents. With the defaults
 * (depth 2, fan-out 2, 3 loops) a chain has 3 agents and 21 spans, more when a model call uses the
 * Vercel AI SDK's convention (an outer roll-up span around each call).
 *
 * @param agents names agents are drawn from
 * @param depth levels of agents (1 = the root agent only)
 * @param fanOut sub-agents each agent hands off to, below the last level none
 * @param toolLoops rounds of model call + tool call per agent
 * @param models the models calls are spread over
 * @param conventions the instrumentation conventions model calls are written in, mixed
 * @param captureContent whether prompts and completions are recorded (about 1 kB each)
 */
public record WorkloadSpec(
    List<String> agents,
    int depth,
    int fanOut,
    int toolLoops,
    List<Model> models,
    List<Convention> conventions,
    boolean captureContent) {

  /** A priced model: provider id as the catalog names it, model id. */
  public record Model(String provider, String model) {}

  /** The attribute conventions a generated model call can be written in. */
  public enum Convention {
    /** OpenTelemetry GenAI semantic conventions, current keys. */
    OTEL_GENAI,
    /** Arize OpenInference ({@code llm.*}, {@code openinference.span.kind}). */
    OPENINFERENCE,
    /** Vercel AI SDK legacy {@code ai.*} spans: an outer roll-up around a {@code doGenerate}. */
    VERCEL_AI
  }

  public WorkloadSpec {
    agents = List.copyOf(agents);
    models = List.copyOf(models);
    conventions = List.copyOf(conventions);
    if (agents.isEmpty() || models.isEmpty() || conventions.isEmpty()) {
      throw new IllegalArgumentException("agents, models and conventions must not be empty");
    }
    if (depth < 1 || fanOut < 0 || toolLoops < 0) {
      throw new IllegalArgumentException("depth >= 1, fanOut >= 0 and toolLoops >= 0");
    }
  }

  /** A support-crew workload: 3 agents a chain, four providers, all three conventions. */
  public static WorkloadSpec realistic() {
    return new WorkloadSpec(
        List.of("planner", "researcher", "writer", "reviewer", "triage", "refunds"),
        2,
        2,
        3,
        List.of(
            new Model("openai", "gpt-4o-mini"),
            new Model("openai", "gpt-4o"),
            new Model("anthropic", "claude-sonnet-4-5"),
            new Model("gcp.gemini", "gemini-2.5-flash"),
            new Model("mistral_ai", "mistral-small-latest")),
        List.of(Convention.OTEL_GENAI, Convention.OPENINFERENCE, Convention.VERCEL_AI),
        false);
  }

  public WorkloadSpec withCaptureContent(boolean capture) {
    return new WorkloadSpec(agents, depth, fanOut, toolLoops, models, conventions, capture);
  }

  public WorkloadSpec withShape(int depth, int fanOut, int toolLoops) {
    return new WorkloadSpec(agents, depth, fanOut, toolLoops, models, conventions, captureContent);
  }

  public WorkloadSpec withConventions(List<Convention> conventions) {
    return new WorkloadSpec(agents, depth, fanOut, toolLoops, models, conventions, captureContent);
  }
}
