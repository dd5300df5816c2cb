/** A single-node Kafka broker run in-process. */
@NullMarked
package io.agentledger.kafka.embedded;

import org.jspecify.annotations.NullMarked;
