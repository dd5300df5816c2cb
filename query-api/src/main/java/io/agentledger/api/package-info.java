/**
 * The query API server: the REST routes under {@code /api/v1}, health checks and the Javalin
 * wiring.
 */
@NullMarked
package io.agentledger.api;

import org.jspecify.annotations.NullMarked;
