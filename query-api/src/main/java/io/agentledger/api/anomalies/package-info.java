/** {@code GET /anomalies}: the anomalies the analyzer's detection cycle found. */
@NullMarked
package io.agentledger.api.anomalies;

import org.jspecify.annotations.NullMarked;
