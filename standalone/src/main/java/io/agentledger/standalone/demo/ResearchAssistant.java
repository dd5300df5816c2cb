package io.agentledger.standalone.demo;

import static io.agentledger.standalone.demo.SimulatedModel.GPT_41_MINI;

import io.agentledger.instrumentation.AgentLedger;
import io.agentledger.instrumentation.AgentRun;
import io.agentledger.instrumentation.Retrieval;
import io.agentledger.standalone.demo.Simulation.ToolUse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A research assistant: retrieves papers, searches the web (a search times out now and then), and
 * writes an answer from it all. It is the agent of the demo's cost spike: for a few minutes a
 * retrieval setting gone wrong (top 48 passages instead of 8) returns six times the documents, so
 * its prompts grow sixfold and a run costs about five times as much ($0.007 to about $0.035).
 */
final class ResearchAssistant implements SimulatedAgent {

  private static final List<String> QUESTIONS =
      List.of("battery recycling", "heat pumps", "grid storage", "solid-state batteries");

  @Override
  public String name() {
    return "researcher";
  }

  @Override
  public void run(AgentLedger ledger, Simulation sim) {
    String question = sim.pick(QUESTIONS);
    try (AgentRun researcher =
        ledger
            .agent("researcher")
            .version("1.2")
            .conversation("study-" + sim.between(1, 30))
            .user("analyst-" + sim.between(1, 12))
            .start()) {
      try (Retrieval papers = researcher.retrieval("papers")) {
        sim.waitAbout(Duration.ofMillis(150));
        papers.topK(8).query(question).documents(Math.round(sim.between(5, 8) * sim.costFactor()));
      }
      List<ToolUse> searches = new ArrayList<>();
      for (int i = sim.between(1, 2); i > 0; i--) {
        searches.add(sim.choose("web_search", "{\"q\":\"" + question + " " + i + "\"}"));
      }
      sim.chat(researcher, GPT_41_MINI, 4_000, 80, searches);
      for (ToolUse search : searches) {
        if (sim.chance(0.05)) {
          sim.runFailing(
              researcher, search, Duration.ofSeconds(10), new Failures.ToolTimeout("web_search"));
        } else {
          sim.run(researcher, search, Duration.ofMillis(1_200));
        }
      }
      sim.answer(researcher, GPT_41_MINI, 12_000, 900);
    }
  }
}
