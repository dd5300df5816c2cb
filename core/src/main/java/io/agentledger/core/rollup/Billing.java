package io.agentledger.core.rollup;

import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The billing pass: which spans count. A span's usage counts only when no descendant carries usage
 * (a parent that repeats its children's usage is a roll-up); a billable span without usage below it
 * counts even without usage of its own, so its unknown cost shows. One provider request reported
 * twice (a span and a log event of the same call) counts once ({@link OneRequest}).
 *
 * @param counted the counted span ids, in tree order
 * @param corrections spans whose per-span role the tree contradicts, with the tree's role
 */
record Billing(
    Set<String> counted, Set<String> carriesBelow, Map<String, BillingRole> corrections) {

  static Billing of(ChainTree tree) {
    List<AgentSpan> order = tree.order();
    Set<String> carriesBelow = new HashSet<>();
    for (int i = order.size() - 1; i >= 0; i--) { // children before parents
      AgentSpan s = order.get(i);
      if (s.carriesUsage() || carriesBelow.contains(s.spanId())) {
        String parent = tree.parentOf(s.spanId());
        if (parent != null) {
          carriesBelow.add(parent);
        }
      }
    }
    Set<String> counted = new LinkedHashSet<>();
    Map<String, BillingRole> corrections = new TreeMap<>();
    Set<String> sameRequest = OneRequest.duplicates(order);
    for (AgentSpan s : order) {
      // A tool's own price is never a roll-up of the work beneath it (a sandbox running a
      // sub-agent still costs its own seconds), so it counts whatever its children carry.
      boolean isCounted =
          ToolPrices.isToolCost(s.cost())
              || (s.carriesUsage() || s.billingRole() == BillingRole.BILLABLE)
                  && !carriesBelow.contains(s.spanId())
                  && !sameRequest.contains(s.spanId());
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
