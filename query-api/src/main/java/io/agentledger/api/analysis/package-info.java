/** Routes that serve the analyzer's findings: anomalies, regressions and agent statistics. */
@NullMarked
package io.agentledger.api.analysis;

import org.jspecify.annotations.NullMarked;
