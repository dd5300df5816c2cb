package io.agentledger.analyzer.runs;

import io.agentledger.analyzer.settle.ChainDerivation;
import io.agentledger.analyzer.settle.SettledChain;
import io.agentledger.store.RunStore;
import io.agentledger.store.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Derives the runs of each settled chain ({@link RunSummary}: one per agent invocation, with its
 * totals and path) and stores them in place of the chain's previous runs, so a chain that settles
 * again is never counted twice. {@code behaviours} are left empty: the detectors fill them.
 */
public final class RunDerivation implements ChainDerivation {

  private final RunStore store;

  /**
   * @param store where runs are replaced
   */
  public RunDerivation(RunStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public String name() {
    return "runs";
  }

  @Override
  public void derive(String project, List<SettledChain> chains) {
    List<String> traceIds = new ArrayList<>(chains.size());
    List<RunSummary> runs = new ArrayList<>();
    for (SettledChain chain : chains) {
      traceIds.add(chain.traceId());
      runs.addAll(RunExtraction.runs(chain));
    }
    store.replaceRuns(project, traceIds, runs);
  }
}
