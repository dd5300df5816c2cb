package io.agentledger.core.rollup;

import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.Usage;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The billing pass: which spans count. Decided by convention first, by usage equality second:
 *
 * <ul>
 *   <li>A provider request (a span normalized as {@link BillingRole#BILLABLE}) with usage of its
 *       own is always billed, even with usage beneath it: frameworks such as Google ADK run the
 *       tools and sub-agents the model chose inside the still-open model-call span. Only when the
 *       usage billed beneath it equals its own (a framework's model span over the SDK client's span
 *       of the same request) is it a roll-up.
 *   <li>Any other span carrying usage (agent, chain, workflow, SDK wrappers) is a roll-up as soon
 *       as a descendant carries usage; without one it counts itself (a remote agent whose model
 *       calls were not traced).
 *   <li>A billable span without usage and without usage below counts, so its unknown cost shows.
 *   <li>One provider request reported twice (a span and a log event of the same call) counts once
 *       ({@link OneRequest}).
 *   <li>A tool's own price is never a roll-up of the work beneath it (a sandbox running a sub-agent
 *       still costs its own seconds), so it counts whatever its children carry.
 * </ul>
 *
 * @param counted the counted span ids, in tree order
 * @param corrections spans whose per-span role the tree contradicts, with the tree's role
 */
record Billing(
    Set<String> counted, Set<String> carriesBelow, Map<String, BillingRole> corrections) {

  static Billing of(ChainTree tree) {
    List<AgentSpan> order = tree.order();
    Set<String> carriesBelow = new HashSet<>();
    Set<String> countedIds = new HashSet<>();
    Map<String, Usage> billedBelow = new HashMap<>(); // usage of the counted spans beneath
    Set<String> sameRequest = OneRequest.duplicates(tree);
    for (int i = order.size() - 1; i >= 0; i--) { // children before parents
      AgentSpan s = order.get(i);
      boolean below = carriesBelow.contains(s.spanId());
      Usage beneath = billedBelow.getOrDefault(s.spanId(), Usage.NONE);
      boolean isCounted =
          ToolPrices.isToolCost(s.cost())
              || isCounted(s, below, beneath) && !sameRequest.contains(s.spanId());
      if (isCounted) {
        countedIds.add(s.spanId());
        beneath = beneath.plus(s.usage());
      }
      String parent = tree.parentOf(s.spanId());
      if (parent != null) {
        if (s.carriesUsage() || below) {
          carriesBelow.add(parent);
        }
        if (beneath.reported()) {
          billedBelow.merge(parent, beneath, Usage::plus);
        }
      }
    }
    Set<String> counted = new LinkedHashSet<>();
    Map<String, BillingRole> corrections = new TreeMap<>();
    for (AgentSpan s : order) {
      boolean isCounted = countedIds.contains(s.spanId());
      if (isCounted) {
        counted.add(s.spanId());
      }
      BillingRole treeRole =
          isCounted
              ? BillingRole.BILLABLE
              : s.carriesUsage() ? BillingRole.ROLLUP : BillingRole.NONE;
      if (treeRole != s.billingRole()) {
        corrections.put(s.spanId(), treeRole);
      }
    }
    return new Billing(
        Collections.unmodifiableSet(counted),
        Collections.unmodifiableSet(carriesBelow),
        Collections.unmodifiableMap(corrections));
  }

  private static boolean isCounted(AgentSpan s, boolean carriesBelow, Usage billedBelow) {
    if (!carriesBelow) {
      return s.carriesUsage() || s.billingRole() == BillingRole.BILLABLE;
    }
    return s.billingRole() == BillingRole.BILLABLE
        && hasOwnUsage(s)
        && !sameTokens(s.usage(), billedBelow);
  }

  /** Usage the emitter reported (not counted from text), so it is this request's own bill. */
  private static boolean hasOwnUsage(AgentSpan s) {
    return s.usage().reported() && s.cost().source() != CostSource.ESTIMATED;
  }

  private static boolean sameTokens(Usage own, Usage below) {
    return below.reported()
        && own.inputTokens() == below.inputTokens()
        && own.outputTokens() == below.outputTokens();
  }

  boolean isCounted(AgentSpan s) {
    return counted.contains(s.spanId());
  }

  /**
   * Carries usage that does not count because its descendants carry the same work, or because
   * another span reports the same provider request.
   */
  boolean isRollup(AgentSpan s) {
    return !isCounted(s) && s.carriesUsage();
  }
}
