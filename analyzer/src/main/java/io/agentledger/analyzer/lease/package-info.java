/**
 * Leases on the analyzer's jobs, so that several analyzer instances on one store run each job
 * (anomaly detection, alert evaluation, regression detection, each sink's deliveries, outbox
 * retention) on one instance at a time, and another takes over when it stops.
 */
@NullMarked
package io.agentledger.analyzer.lease;

import org.jspecify.annotations.NullMarked;
