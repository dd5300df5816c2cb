package io.agentledger.instrumentation;

import java.util.List;

/**
 * The acceptance example: a planner decides to research, hands off to a researcher (a retrieval, a
 * tool call, a Claude call), which hands off to a writer that asks a human before publishing.
 *
 * <p>Costs at the bundled catalog's prices:
 *
 * <ul>
 *   <li>planner, gpt-4o-mini: 800 uncached × $0.15/M + 200 cached × $0.075/M + 100 out × $0.60/M =
 *       $0.00012 + $0.000015 + $0.00006 = $0.000195
 *   <li>researcher, claude-sonnet-4-5: 1,000 uncached × $3/M + 2,000 cache reads × $0.30/M + 400
 *       out × $15/M = $0.003 + $0.0006 + $0.006 = $0.0096
 *   <li>writer, gpt-4o: 2,000 × $2.50/M + 500 × $10/M = $0.005 + $0.005 = $0.01
 * </ul>
 *
 * Total $0.019795.
 */
final class ThreeAgentCrew {

  static final String TOTAL_USD = "0.019795";
  static final String PLANNER_USD = "0.000195";
  static final String RESEARCHER_USD = "0.0096";
  static final String WRITER_USD = "0.01";
  static final String SESSION = "ticket-4711";

  private ThreeAgentCrew() {}

  /** Runs the crew; returns the chain's trace id. */
  static String run(AgentLedger ledger) {
    try (AgentRun planner =
        ledger
            .agent("planner")
            .id("agt_planner")
            .version("2.1")
            .conversation(SESSION)
            .user("u-9")
            .start()) {
      try (ModelCall call = planner.modelCall("openai", "gpt-4o-mini")) {
        call.temperature(0.1)
            .inputMessages(
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"secret\"}]}]")
            .usage(1_000, 100)
            .cacheRead(200)
            .responseModel("gpt-4o-mini")
            .finishReasons("stop");
      }
      planner.decision(
          "route",
          List.of("research", "write_directly"),
          "research",
          "the question needs sources",
          0.82);
      try (AgentRun researcher = planner.handoff("researcher")) {
        try (Retrieval r = researcher.retrieval("kb-docs")) {
          r.topK(5).query("refund policy").documents(5);
        }
        try (ToolCall tool = researcher.tool("web_search")) {
          tool.callId("call_01").arguments("{\"q\":\"refund policy\"}").result("{\"hits\":3}");
        }
        try (ModelCall call = researcher.modelCall("anthropic", "claude-sonnet-4-5")) {
          call.usage(3_000, 400).cacheRead(2_000).finishReasons("end_turn");
        }
        try (AgentRun writer = researcher.handoff("writer")) {
          try (ModelCall call = writer.modelCall("openai", "gpt-4o")) {
            call.usage(2_000, 500).finishReasons("stop");
          }
          try (Approval approval = writer.requestApproval("publish_reply")) {
            approval.approve("alice@example.com");
          }
        }
      }
      return planner.traceId();
    }
  }
}
