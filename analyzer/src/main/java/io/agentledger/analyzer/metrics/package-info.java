/**
 * Prometheus metrics about what agents spend: cost, tokens and calls by project, agent, provider
 * and model, counted from settled chains, with labels bounded to closed sets.
 */
@NullMarked
package io.agentledger.analyzer.metrics;

import org.jspecify.annotations.NullMarked;
