/** The OpenAPI document that describes the query API. */
@NullMarked
package io.agentledger.api.openapi;

import org.jspecify.annotations.NullMarked;
