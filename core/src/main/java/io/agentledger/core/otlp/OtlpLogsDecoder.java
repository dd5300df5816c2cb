package io.agentledger.core.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.util.Objects;

/**
 * Decodes OTLP log export requests from protobuf or OTLP/JSON bodies, with the same JSON rules as
 * {@link OtlpTraceDecoder} (hex ids, integers as strings or numbers, either key case). Thread-safe.
 */
public final class OtlpLogsDecoder {

  private OtlpLogsDecoder() {}

  /** Decodes a body in the given format; an empty body is an empty request. */
  public static ExportLogsServiceRequest decode(byte[] body, OtlpFormat format) {
    Objects.requireNonNull(format, "format");
    if (format == OtlpFormat.PROTOBUF) {
      try {
        return ExportLogsServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new OtlpDecodeException("invalid OTLP protobuf: " + e.getMessage(), e);
      }
    }
    JsonNode root = OtlpTraceDecoder.readJson(body);
    if (root == null || root.isMissingNode()) {
      return ExportLogsServiceRequest.getDefaultInstance();
    }
    return new OtlpJsonReader().readLogsRequest(root);
  }
}
