/** The OTLP/HTTP receiver that splits requests by trace and publishes them to Kafka. */
@NullMarked
package io.agentledger.collector.otlp;

import org.jspecify.annotations.NullMarked;
