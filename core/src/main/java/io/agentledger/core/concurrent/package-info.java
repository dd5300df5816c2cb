/** Small helpers for the background threads the services run. */
@NullMarked
package io.agentledger.core.concurrent;

import org.jspecify.annotations.NullMarked;
