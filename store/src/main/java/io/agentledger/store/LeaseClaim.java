package io.agentledger.store;

import java.util.Objects;

/**
 * An analyzer instance's claim to run a job during one term (a fixed slice of time), so that with
 * several instances each job runs on one of them ({@link LeaseStore}).
 *
 * @param job the job, e.g. {@code anomalies}, {@code alerts}, {@code sink:webhook}
 * @param term the term's number: its start in epoch milliseconds divided by the term length
 * @param holder the claiming instance's id
 */
public record LeaseClaim(String job, long term, String holder) {

  /**
   * Checks that nothing is null.
   *
   * @param job the job
   * @param term the term's number
   * @param holder the claiming instance's id
   */
  public LeaseClaim {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(holder, "holder");
  }
}
