/** Routes for cost reports grouped by model, agent, provider or project. */
@NullMarked
package io.agentledger.api.costs;

import org.jspecify.annotations.NullMarked;
