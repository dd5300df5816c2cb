/**
 * HTTP plumbing shared by the routes: JSON, parameters, problem responses, API-key authentication.
 */
@NullMarked
package io.agentledger.api.http;

import org.jspecify.annotations.NullMarked;
