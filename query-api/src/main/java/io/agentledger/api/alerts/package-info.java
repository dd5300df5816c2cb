/** {@code /alerts}: a project's cost alert rules, and where their alerts stand. */
@NullMarked
package io.agentledger.api.alerts;

import org.jspecify.annotations.NullMarked;
