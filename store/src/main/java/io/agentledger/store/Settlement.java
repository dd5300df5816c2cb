package io.agentledger.store;

import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.rollup.TreeNode;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The fields of a stored span that its chain's settlement decides, the rule both adapters apply in
 * {@link PipelineState#saveRollups}: the billing role (the roll-up's correction, else the span's
 * own), the attributed agent (the tree node's), and the chain's session and user (the summary's).
 * Until the chain settles they are the span's own ({@link #initial}).
 *
 * @param role the span's billing role
 * @param attributedAgent the agent the span's cost is attributed to
 * @param sessionId the session (conversation) id stored with the span
 * @param userId the user id stored with the span
 */
public record Settlement(
    BillingRole role, String attributedAgent, String sessionId, String userId) {

  /**
   * A span of a settled chain and what its settlement decides.
   *
   * @param span the span
   * @param settlement its settled fields
   */
  public record Settled(AgentSpan span, Settlement settlement) {}

  /**
   * The fields as stored at append, before the chain settles: the span's own.
   *
   * @param s the appended span
   * @return its own billing role, agent, session and user
   */
  public static Settlement initial(AgentSpan s) {
    return new Settlement(
        s.billingRole(),
        s.semantics().agentName(),
        s.semantics().sessionId(),
        s.semantics().userId());
  }

  /**
   * Every span of the settled chain's tree, depth first, with its settled fields.
   *
   * @param rollup the settled chain
   * @return one entry per span of the chain's tree
   */
  public static List<Settled> of(ChainRollupResult rollup) {
    ChainSummary summary = rollup.summary();
    List<Settled> out = new ArrayList<>();
    Deque<TreeNode> todo = new ArrayDeque<>(rollup.roots());
    while (!todo.isEmpty()) {
      TreeNode node = todo.pop();
      todo.addAll(node.children());
      AgentSpan s = node.span();
      BillingRole role = rollup.billingCorrections().getOrDefault(s.spanId(), s.billingRole());
      out.add(
          new Settled(
              s, new Settlement(role, node.agent(), summary.sessionId(), summary.userId())));
    }
    return out;
  }
}
