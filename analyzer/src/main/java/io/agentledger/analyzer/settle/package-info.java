/**
 * Settling chains: once a chain has been idle for a while, roll it up with the core rules and save
 * the result, so listings, sessions and cost aggregations agree with the chain's tree.
 */
@NullMarked
package io.agentledger.analyzer.settle;

import org.jspecify.annotations.NullMarked;
