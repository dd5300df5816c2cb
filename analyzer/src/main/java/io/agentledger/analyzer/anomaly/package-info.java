/**
 * Anomaly detection over the runs derived at settlement: robust per-run outliers, seasonal hourly
 * rates, and behaviours (tool loops, ping-pong hand-offs, runaway context, unseen transitions),
 * kept as episodes that fire and resolve, on a fixed cycle ({@link
 * io.agentledger.analyzer.anomaly.DetectionCycle}).
 */
@NullMarked
package io.agentledger.analyzer.anomaly;

import org.jspecify.annotations.NullMarked;
