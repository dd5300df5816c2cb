package io.agentledger.standalone.demo;

import static io.agentledger.standalone.demo.SimulatedModel.CLAUDE_SONNET;

import io.agentledger.instrumentation.AgentLedger;
import io.agentledger.instrumentation.AgentRun;
import io.agentledger.standalone.demo.Simulation.ToolUse;
import java.time.Duration;
import java.util.List;

/**
 * A coding agent on a pull request: reads a file, then edits and runs the tests until they pass.
 * Things go wrong the way they do: the first model call is now and then rate-limited and retried (8
 * %), a test run fails and the next edit fixes it, and sometimes (10 %) the agent is stuck in a
 * loop — the model asks for the same test run, with the same arguments, 3 to 5 times — and gives
 * up.
 */
final class CodingAgent implements SimulatedAgent {

  private static final List<String> FILES =
      List.of("src/billing/Invoice.java", "src/api/Routes.java", "src/db/Migrations.java");

  @Override
  public String name() {
    return "coder";
  }

  @Override
  public void run(AgentLedger ledger, Simulation sim) {
    try (AgentRun coder =
        ledger.agent("coder").version("0.9").conversation("pr-" + sim.between(100, 160)).start()) {
      String file = sim.pick(FILES);
      if (sim.chance(0.08)) {
        sim.failedChat(coder, CLAUDE_SONNET, Duration.ofMillis(300), new Failures.RateLimitError());
        sim.waitAbout(Duration.ofSeconds(2)); // back-off, then the same request again
      }
      ToolUse read = sim.choose("read_file", "{\"path\":\"" + file + "\"}");
      sim.chat(coder, CLAUDE_SONNET, 6_000, 120, List.of(read));
      sim.run(coder, read, Duration.ofMillis(40));
      if (sim.chance(0.10)) {
        stuckOnTests(coder, sim, file);
        return;
      }
      int edits = sim.between(1, 3);
      for (int i = 1; i <= edits; i++) {
        edit(coder, sim, file, i);
        ToolUse test = sim.choose("run_tests", "{\"suite\":\"unit\",\"attempt\":" + i + "}");
        sim.chat(coder, CLAUDE_SONNET, 7_000 + 2_000 * i, 60, List.of(test));
        if (i < edits) {
          sim.runFailing(coder, test, Duration.ofSeconds(8), new Failures.TestsFailed(i));
        } else {
          sim.run(coder, test, Duration.ofSeconds(8));
        }
      }
      sim.answer(coder, CLAUDE_SONNET, 9_000, 300);
    }
  }

  private static void edit(AgentRun coder, Simulation sim, String file, int attempt) {
    ToolUse edit =
        sim.choose("edit_file", "{\"path\":\"" + file + "\",\"attempt\":" + attempt + "}");
    sim.chat(coder, CLAUDE_SONNET, 6_500, 700, List.of(edit));
    sim.run(coder, edit, Duration.ofMillis(60));
  }

  /** The model asks for the same failing test run again and again, then the agent gives up. */
  private static void stuckOnTests(AgentRun coder, Simulation sim, String file) {
    edit(coder, sim, file, 1);
    int repeats = sim.between(3, 5);
    for (int i = 0; i < repeats; i++) {
      ToolUse test = sim.choose("run_tests", "{\"suite\":\"integration\"}");
      sim.chat(coder, CLAUDE_SONNET, 8_000 + 1_500 * i, 40, List.of(test));
      sim.runFailing(coder, test, Duration.ofSeconds(12), new Failures.TestsFailed(3));
    }
    coder.fail(new Failures.TestsFailed(3));
  }
}
