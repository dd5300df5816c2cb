package io.agentledger.store;

import io.agentledger.core.rollup.ChainRollupResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The analyzer's side of the pipeline: which chains changed, their settled roll-ups, and the small
 * values it keeps between runs (its watermark).
 */
public interface PipelineState {

  /**
   * Chains that received new spans stored after {@code after} and at or before {@code upTo} (store
   * time), at most {@code limit} of them, oldest first. The analyzer settles these.
   *
   * @param after exclusive lower bound of the last activity
   * @param upTo inclusive upper bound of the last activity
   * @param limit the most chains to return
   * @return the chains, oldest activity first
   */
  List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit);

  /**
   * How far store time is complete: {@code upTo}, or earlier while an append stamped at or before
   * it is still being written. The analyzer moves past no later time, so it never passes a chain
   * whose spans are still on their way in; an append that begins after this call is stamped later
   * than what it returns. Only this store's own appends are known (see {@link AppendStamps}).
   *
   * @param upTo the latest store time wanted
   * @return the latest store time, at most {@code upTo}, up to which every append has committed
   */
  Instant committedUpTo(Instant upTo);

  /**
   * Saves settled chains: their summaries (replacing earlier ones) and the per-span fields the tree
   * decides (billing role, attributed agent, the chain's session and user id), so aggregations
   * agree with the chain roll-up.
   *
   * @param rollups the roll-ups
   */
  void saveRollups(List<ChainRollupResult> rollups);

  /**
   * A small named value the pipeline persists (for example the analyzer's watermark).
   *
   * @param key the name
   * @return the value, or empty when never saved
   */
  Optional<String> state(String key);

  /**
   * Inserts or replaces a named value.
   *
   * @param key the name
   * @param value the value
   */
  void saveState(String key, String value);
}
