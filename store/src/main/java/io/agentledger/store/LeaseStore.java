package io.agentledger.store;

import java.util.List;

/**
 * Claims of analyzer instances on jobs, per term: what lets several instances share one store and
 * run each job on one of them. The store only keeps claims (an append, which every store does
 * atomically); who holds a job is decided by the readers, the same way on every instance, from the
 * claims of a term written before it began.
 */
public interface LeaseStore {

  /**
   * Records claims (a claim recorded before is kept once). Claims of old terms may be forgotten.
   *
   * @param claims the claims
   */
  void claimLeases(List<LeaseClaim> claims);

  /**
   * Every claim on a term, of every job, in no particular order.
   *
   * @param term the term's number
   * @return its claims
   */
  List<LeaseClaim> leaseClaims(long term);
}
