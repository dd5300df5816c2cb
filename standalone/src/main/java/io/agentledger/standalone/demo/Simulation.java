package io.agentledger.standalone.demo;

import io.agentledger.instrumentation.AgentRun;
import io.agentledger.instrumentation.ModelCall;
import io.agentledger.instrumentation.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one simulated run draws on: its random choices (seeded, so a run can be simulated twice the
 * same way), its clock, and the scenario's conditions when it arrived. The agents describe what
 * happens; this class makes it take time and records the model and tool calls.
 */
final class Simulation {

  /** A tool call the model chose: its id, the tool, the arguments as JSON. */
  record ToolUse(String id, String tool, String arguments) {}

  private final SplittableRandom random;
  private final SimulatedClock clock;
  private final double costFactor;
  private double slowdown = 1.0;

  Simulation(long seed, SimulatedClock clock, double costFactor) {
    this.random = new SplittableRandom(seed);
    this.clock = clock;
    this.costFactor = costFactor;
  }

  /** Every wait from now on takes {@code factor} times as long (a slower version of an agent). */
  void slowDown(double factor) {
    slowdown = factor;
  }

  /** How many times its usual size the run's context is (the scenario's spike: 6). */
  double costFactor() {
    return costFactor;
  }

  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  /** A number from {@code low} to {@code high}, both included. */
  int between(int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** Waits about {@code typical}: log-normally spread around it, as service latencies are. */
  void waitAbout(Duration typical) {
    double jitter = Math.exp(0.35 * random.nextGaussian());
    clock.advance(Duration.ofNanos((long) (typical.toNanos() * jitter * slowdown)));
  }

  /** A tool call the model chooses, with a provider-style id. */
  ToolUse choose(String tool, String arguments) {
    return new ToolUse("call_" + Long.toHexString(random.nextLong()), tool, arguments);
  }

  /**
   * A model call answering with text (no tools): about {@code input} tokens in (a third of them
   * from the prompt cache, usually), {@code output} out; the input scaled by the cost factor.
   */
  void answer(AgentRun run, SimulatedModel model, int input, int output) {
    chat(run, model, input, output, List.of());
  }

  /** A model call whose answer is the given tool calls. */
  void chat(AgentRun run, SimulatedModel model, int input, int output, List<ToolUse> chosen) {
    // The spike grows the prompt (more retrieved context), not the answer.
    long in = Math.round((input / 2 + random.nextInt(input)) * costFactor);
    long out = output / 2 + random.nextInt(output);
    try (ModelCall call = run.modelCall(model.provider, model.model)) {
      waitAbout(model.latency(in, out));
      call.usage(in, out).cacheRead(chance(0.6) ? in / 3 : 0);
      call.responseId("resp_" + Long.toHexString(random.nextLong()));
      if (chosen.isEmpty()) {
        call.finishReasons("stop");
      }
      for (ToolUse use : chosen) {
        call.toolCall(use.id(), use.tool(), use.arguments());
      }
    }
  }

  /** A model call that fails (a rate limit, a timeout) after {@code after}. */
  void failedChat(AgentRun run, SimulatedModel model, Duration after, RuntimeException error) {
    try (ModelCall call = run.modelCall(model.provider, model.model)) {
      waitAbout(after);
      call.fail(error);
    }
  }

  /** Runs the chosen tool, which takes about {@code typical}. */
  void run(AgentRun run, ToolUse use, Duration typical) {
    try (ToolCall tool = run.tool(use.tool())) {
      tool.callId(use.id()).arguments(use.arguments());
      waitAbout(typical);
      tool.result("{\"ok\":true}");
    }
  }

  /** Runs the chosen tool, which fails with {@code error} after about {@code typical}. */
  void runFailing(AgentRun run, ToolUse use, Duration typical, RuntimeException error) {
    try (ToolCall tool = run.tool(use.tool())) {
      tool.callId(use.id()).arguments(use.arguments());
      waitAbout(typical);
      tool.fail(error);
    }
  }
}
