/** The collector: configuration, Kafka topics and its own metrics. */
@NullMarked
package io.agentledger.collector;

import org.jspecify.annotations.NullMarked;
