/** {@code GET /regressions}: changes the analyzer found between agent versions and within one. */
@NullMarked
package io.agentledger.api.regressions;

import org.jspecify.annotations.NullMarked;
