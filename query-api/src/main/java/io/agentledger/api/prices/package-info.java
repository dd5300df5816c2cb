/** Routes that serve the price catalog. */
@NullMarked
package io.agentledger.api.prices;

import org.jspecify.annotations.NullMarked;
