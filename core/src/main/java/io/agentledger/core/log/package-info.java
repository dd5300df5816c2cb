/** Logging helpers: warnings throttled per reason. */
@NullMarked
package io.agentledger.core.log;

import org.jspecify.annotations.NullMarked;
