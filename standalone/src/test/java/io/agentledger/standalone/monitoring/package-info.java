/**
 * The Prometheus rules and Alertmanager routing shipped in {@code dashboards/}, checked by their
 * own tools.
 */
@NullMarked
package io.agentledger.standalone.monitoring;

import org.jspecify.annotations.NullMarked;
