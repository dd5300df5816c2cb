package io.agentledger.standalone.demo;

import static io.agentledger.standalone.demo.SimulatedModel.CLAUDE_SONNET;
import static io.agentledger.standalone.demo.SimulatedModel.GEMINI_FLASH;
import static io.agentledger.standalone.demo.SimulatedModel.GPT_4O_MINI;

import io.agentledger.instrumentation.AgentLedger;
import io.agentledger.instrumentation.AgentRun;
import io.agentledger.instrumentation.Approval;
import io.agentledger.instrumentation.Retrieval;
import io.agentledger.standalone.demo.Simulation.ToolUse;
import java.time.Duration;
import java.util.List;

/**
 * A support crew. {@code support-triage} searches the knowledge base, then routes the ticket (a
 * recorded decision) to {@code refunds} or to {@code faq}. Refunds looks the order up and asks a
 * supervisor to approve the refund; now and then it needs {@code billing} first, which sends the
 * ticket back, and back again (a ping-pong of hand-offs) before refunds handles it. FAQ answers
 * from the help center.
 *
 * <p>Two versions of triage run side by side, as in a canary. 1.0 always searches, then routes. 2.0
 * sometimes (40 %) decides to clarify, and its model then asks for the customer record as well as
 * the search — the same model calls, so the same cost — and its chains are 30 % slower.
 */
final class SupportCrew implements SimulatedAgent {

  private static final List<String> TOPICS =
      List.of("refund policy", "late delivery", "damaged item", "change address", "cancel order");

  private final String version;
  private final boolean clarifies;
  private final double slowdown;

  private SupportCrew(String version, boolean clarifies, double slowdown) {
    this.version = version;
    this.clarifies = clarifies;
    this.slowdown = slowdown;
  }

  static SupportCrew v1() {
    return new SupportCrew("1.0", false, 1.0);
  }

  static SupportCrew v2() {
    return new SupportCrew("2.0", true, 1.3);
  }

  @Override
  public String name() {
    return "support-triage " + version;
  }

  @Override
  public void run(AgentLedger ledger, Simulation sim) {
    sim.slowDown(slowdown);
    try (AgentRun triage =
        ledger
            .agent("support-triage")
            .version(version)
            .conversation("ticket-" + sim.between(1000, 1999))
            .user("customer-" + sim.between(1, 80))
            .start()) {
      String topic = sim.pick(TOPICS);
      ToolUse search = sim.choose("search_kb", "{\"query\":\"" + topic + "\"}");
      boolean clarify = clarifies && sim.chance(0.4);
      List<ToolUse> chosen =
          clarify
              ? List.of(search, sim.choose("get_customer", "{\"fields\":[\"orders\"]}"))
              : List.of(search);
      sim.chat(triage, GPT_4O_MINI, 1_200, 60, chosen);
      if (clarify) {
        triage.decision(
            "clarify",
            List.of("ask_customer", "proceed"),
            "ask_customer",
            "the ticket names no order",
            0.55 + sim.between(0, 30) / 100.0);
      }
      for (ToolUse use : chosen) {
        sim.run(triage, use, Duration.ofMillis(use.tool().equals("search_kb") ? 250 : 180));
      }
      sim.answer(triage, GPT_4O_MINI, 1_800, 80);
      boolean refund = topic.equals("refund policy") || topic.equals("damaged item");
      triage.decision(
          "route",
          List.of("refunds", "faq"),
          refund ? "refunds" : "faq",
          refund ? "the customer asks for money back" : "a known question",
          0.6 + sim.between(0, 40) / 100.0);
      if (refund) {
        refunds(triage, sim);
      } else {
        faq(triage, sim);
      }
    }
  }

  private static void refunds(AgentRun triage, Simulation sim) {
    try (AgentRun refunds = triage.handoff("refunds")) {
      ToolUse lookup = sim.choose("lookup_order", "{\"order\":" + sim.between(40000, 49999) + "}");
      sim.chat(refunds, CLAUDE_SONNET, 3_000, 120, List.of(lookup));
      sim.run(refunds, lookup, Duration.ofMillis(150));
      if (sim.chance(0.12)) {
        billingPingPong(refunds, sim);
      } else {
        approveRefund(refunds, sim);
      }
    }
  }

  /**
   * refunds → billing → refunds → billing: the ticket bounces before anyone owns it; then refunds
   * handles it after all. The bouncing adds to the work rather than replacing it: a ping-pong run
   * that skipped the approval would be a fraction of a refund's cost and time, and every one would
   * also be a run outlier.
   */
  private static void billingPingPong(AgentRun refunds, Simulation sim) {
    try (AgentRun billing = refunds.handoff("billing")) {
      sim.answer(billing, GPT_4O_MINI, 1_500, 60);
      try (AgentRun back = billing.handoff("refunds")) {
        sim.answer(back, CLAUDE_SONNET, 2_000, 80);
        try (AgentRun again = back.handoff("billing")) {
          ToolUse charge = sim.choose("get_payment", "{\"order\":\"latest\"}");
          sim.chat(again, GPT_4O_MINI, 1_500, 60, List.of(charge));
          sim.run(again, charge, Duration.ofMillis(300));
          sim.answer(again, GPT_4O_MINI, 1_800, 150);
        }
        approveRefund(back, sim);
      }
    }
  }

  private static void approveRefund(AgentRun refunds, Simulation sim) {
    sim.answer(refunds, CLAUDE_SONNET, 3_500, 200);
    boolean approved;
    try (Approval approval = refunds.requestApproval("issue_refund")) {
      sim.waitAbout(Duration.ofSeconds(20)); // a supervisor reads the draft
      approved = !sim.chance(0.15);
      if (approved) {
        approval.approve("supervisor@example.com");
      } else {
        approval.deny("supervisor@example.com", "the order is older than 90 days");
      }
    }
    if (approved) {
      ToolUse refund = sim.choose("issue_refund", "{\"amount\":" + sim.between(5, 300) + "}");
      sim.chat(refunds, CLAUDE_SONNET, 4_000, 60, List.of(refund));
      sim.run(refunds, refund, Duration.ofMillis(400));
    }
    sim.answer(refunds, CLAUDE_SONNET, 4_200, 180);
  }

  private static void faq(AgentRun triage, Simulation sim) {
    try (AgentRun faq = triage.handoff("faq")) {
      try (Retrieval r = faq.retrieval("help-center")) {
        sim.waitAbout(Duration.ofMillis(90));
        r.topK(5).documents(sim.between(2, 5));
      }
      sim.answer(faq, GEMINI_FLASH, 2_500, 250);
    }
  }
}
