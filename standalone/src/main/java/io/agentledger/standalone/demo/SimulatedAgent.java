package io.agentledger.standalone.demo;

import io.agentledger.instrumentation.AgentLedger;

/**
 * One simulated agent or crew: runs once, recording through the ledger, timed by the simulation.
 */
interface SimulatedAgent {

  /** The agent at the root of the runs, for the demo's messages. */
  String name();

  void run(AgentLedger ledger, Simulation sim);
}
