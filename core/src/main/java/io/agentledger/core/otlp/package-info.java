/**
 * OTLP trace decoding: {@code ExportTraceServiceRequest} from protobuf bytes or from OTLP/JSON.
 *
 * <p>OTLP/JSON is not plain proto3 JSON: trace and span ids are hex (protobuf's {@code JsonFormat}
 * would read them as base64 and silently produce wrong ids), 64-bit integers may be strings or
 * numbers, enums may be numbers or names, and both lowerCamelCase and snake_case keys occur in the
 * wild. {@link io.agentledger.core.otlp.OtlpTraceDecoder} accepts all of these and rejects anything
 * else with an {@link io.agentledger.core.otlp.OtlpDecodeException} that names the offending field.
 */
@NullMarked
package io.agentledger.core.otlp;

import org.jspecify.annotations.NullMarked;
