/** Resource limits shared by the HTTP servers: byte budgets and per-project request limits. */
@NullMarked
package io.agentledger.core.limits;

import org.jspecify.annotations.NullMarked;
