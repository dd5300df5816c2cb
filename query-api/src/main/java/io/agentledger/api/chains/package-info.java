/** Routes and views for chains: listings, one chain's span tree and its decision tree. */
@NullMarked
package io.agentledger.api.chains;

import org.jspecify.annotations.NullMarked;
