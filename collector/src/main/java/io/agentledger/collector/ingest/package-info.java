/** The Kafka consumer that decodes, normalizes, prices and stores spans, and its lag monitor. */
@NullMarked
package io.agentledger.collector.ingest;

import org.jspecify.annotations.NullMarked;
