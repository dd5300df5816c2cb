/**
 * Regression detection on generated runs: a slower version, unchanged versions (false alarms), a
 * model silently slower mid-version, and the time of one cycle.
 */
@NullMarked
package io.agentledger.bench.regress;

import org.jspecify.annotations.NullMarked;
