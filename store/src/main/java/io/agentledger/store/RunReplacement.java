package io.agentledger.store;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What both adapters check before {@link RunStore#replaceRuns} touches anything. */
public final class RunReplacement {

  /** Runs cost less than this, in USD: stores keep run costs as 64-bit decimals (12 places). */
  public static final BigDecimal MAX_COST_USD = new BigDecimal("1000000");

  private RunReplacement() {}

  /**
   * The runs to store, one per (trace id, span id) — the last one given wins — after checking that
   * each belongs to the project and to one of the chains being replaced.
   *
   * @param project the project (tenant)
   * @param traceIds the chains whose runs are replaced
   * @param runs the chains' runs now
   * @return the runs to store, in the order given
   * @throws IllegalArgumentException when a run is of another project or another chain, or costs
   *     {@link #MAX_COST_USD} or more
   */
  public static Collection<RunSummary> checked(
      String project, Collection<String> traceIds, List<RunSummary> runs) {
    Set<String> chains = new HashSet<>(traceIds);
    Map<List<String>, RunSummary> unique = new LinkedHashMap<>();
    for (RunSummary r : runs) {
      if (!r.project().equals(project)) {
        throw new IllegalArgumentException(
            "run " + r.traceId() + "/" + r.spanId() + " is of project " + r.project());
      }
      if (!chains.contains(r.traceId())) {
        throw new IllegalArgumentException(
            "run " + r.traceId() + "/" + r.spanId() + " is of a chain not being replaced");
      }
      if (r.costUsd().abs().compareTo(MAX_COST_USD) >= 0) {
        throw new IllegalArgumentException(
            "run " + r.traceId() + "/" + r.spanId() + " costs " + r.costUsd() + " USD");
      }
      unique.put(List.of(r.traceId(), r.spanId()), r);
    }
    return unique.values();
  }
}
