/**
 * The anomaly detection benchmark: a generated workload of agent runs with daily seasonality and
 * noise, written straight into a run store, with injected anomalies as ground truth.
 */
@NullMarked
package io.agentledger.bench.anomaly;

import org.jspecify.annotations.NullMarked;
